using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using KmsImport.Sdk.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Sdk.Benchmarks;

/// <summary>
/// RFC 5649 wrap with a 256-bit KEK (the console guide's temporary key) of a 32-byte key and of
/// RSA-2048 and RSA-4096 PKCS#8 private keys, against the hardware limit (the baseline), .NET's
/// <c>Aes.EncryptKeyWrapPadded</c> and BouncyCastle's <c>AesWrapPadEngine</c>.
/// </summary>
[MemoryDiagnoser]
public class KeyWrapPadBenchmarks
{
    private byte[] _kek = [];
    private byte[] _plaintext = [];
    private byte[] _wrapped = [];
    private byte[] _destination = [];
    private byte[] _unwrapDestination = [];
    private AesHardwareLimit? _limit;
    private int _chainLength;
    private System.Security.Cryptography.Aes? _dotnetAes;
    private AesWrapPadEngine? _bouncyCastle;

    /// <summary>What is wrapped; the PKCS#8 keys are generated once per run.</summary>
    [Params("32 B key", "RSA-2048 PKCS#8", "RSA-4096 PKCS#8")]
    public string Input { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _kek = RandomNumberGenerator.GetBytes(32);
        _plaintext = Input switch
        {
            "32 B key" => RandomNumberGenerator.GetBytes(32),
            "RSA-2048 PKCS#8" => Pkcs8(2048, 1218),
            "RSA-4096 PKCS#8" => Pkcs8(4096, 2374),
            _ => throw new InvalidOperationException(Input),
        };
        _destination = new byte[AesKeyWrapPad.GetWrappedLength(_plaintext.Length)];
        _wrapped = AesKeyWrapPad.Wrap(_kek, _plaintext);
        _unwrapDestination = new byte[_wrapped.Length - 8];

        // n semiblocks, 6n dependent encryptions.
        _chainLength = 6 * (_destination.Length / 8 - 1);
        _limit = new AesHardwareLimit(_kek);

        _dotnetAes = System.Security.Cryptography.Aes.Create();
        _dotnetAes.Key = _kek;
        _bouncyCastle = new AesWrapPadEngine();
        _bouncyCastle.Init(true, new KeyParameter(_kek));
        Console.WriteLine($"// {Input}: {_plaintext.Length} bytes, n = {_chainLength / 6}, {_chainLength} AES blocks");
    }

    [GlobalCleanup]
    public void Cleanup() => _dotnetAes?.Dispose();

    [Benchmark(Baseline = true, Description = "Hardware limit: 6n dependent AES-256 (pre-expanded key)")]
    public Vector128<byte> HardwareLimit() => _limit!.EncryptChain(Vector128<byte>.One, _chainLength);

    [Benchmark(Description = "AesKeyWrapPad.Wrap (span)")]
    public int Wrap() => AesKeyWrapPad.Wrap(_kek, _plaintext, _destination);

    [Benchmark(Description = "AesKeyWrapPad.Wrap (array)")]
    public byte[] WrapArray() => AesKeyWrapPad.Wrap(_kek, _plaintext);

    [Benchmark(Description = "AesKeyWrapPad.TryUnwrap (span)")]
    public int TryUnwrap()
    {
        AesKeyWrapPad.TryUnwrap(_kek, _wrapped, _unwrapDestination, out int written);
        return written;
    }

    [Benchmark(Description = "AesKeyWrapPad.Wrap (span), fallback engine")]
    public int WrapFallback() => AesKeyWrapPad.Wrap(_kek, _plaintext, _destination, AesKeyWrapPad.Engine.Platform);

    [Benchmark(Description = ".NET Aes.EncryptKeyWrapPadded (span)")]
    public int DotNet()
    {
        _dotnetAes!.EncryptKeyWrapPadded(_plaintext, _destination);
        return _destination.Length;
    }

    [Benchmark(Description = "BouncyCastle AesWrapPadEngine.Wrap")]
    public byte[] BouncyCastle() => _bouncyCastle!.Wrap(_plaintext, 0, _plaintext.Length);

    // A real key of the usual PKCS#8 size for its modulus (DER lengths vary by a byte or two).
    private static byte[] Pkcs8(int bits, int preferredLength)
    {
        byte[] der = [];
        for (int attempt = 0; attempt < 20 && der.Length != preferredLength; attempt++)
        {
            using RSA rsa = RSA.Create(bits);
            der = rsa.ExportPkcs8PrivateKey();
        }

        return der;
    }
}
