using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Benchmarks;

/// <summary>
/// The wrapping service end to end: symmetric material (one RSA-OAEP-SHA256 encryption) and an
/// RSA-2048 private key (temporary key, RSA-OAEP-SHA256 and RFC 5649), against raw
/// <c>RSA.Encrypt</c> with OAEP-SHA256 of 32 bytes under the same wrapping key.
/// </summary>
[MemoryDiagnoser]
public class KeyMaterialWrapperBenchmarks
{
    private RSA? _wrappingRsa;
    private WrappingPublicKey? _wrappingKey;
    private KeyMaterial? _symmetric;
    private KeyMaterial? _privateKey;
    private byte[] _aesKey = [];

    [Params(2048, 4096)]
    public int WrappingKeyBits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using RSA wrapping = RSA.Create(WrappingKeyBits);
        _wrappingKey = WrappingPublicKey.FromSubjectPublicKeyInfo(wrapping.ExportSubjectPublicKeyInfo());
        _wrappingRsa = RSA.Create();
        _wrappingRsa.ImportSubjectPublicKeyInfo(wrapping.ExportSubjectPublicKeyInfo(), out _);

        _aesKey = RandomNumberGenerator.GetBytes(32);
        _symmetric = KeyMaterial.FromSymmetricKey(_aesKey, KeySpec.Aes256);
        using RSA privateKey = RSA.Create(2048);
        _privateKey = KeyMaterial.FromRsa(privateKey);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wrappingRsa?.Dispose();
        _symmetric?.Dispose();
        _privateKey?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Raw RSA.Encrypt OAEP-SHA256 (32 B)")]
    public byte[] RawRsaOaep() => _wrappingRsa!.Encrypt(_aesKey, RSAEncryptionPadding.OaepSHA256);

    [Benchmark(Description = "Symmetric wrap (AES_256 material)")]
    public WrappedKeyMaterial SymmetricWrap() => KeyMaterialWrapper.Shared.Wrap(_symmetric!, _wrappingKey!, WrappingAlgorithm.RsaesOaepSha256);

    [Benchmark(Description = "Asymmetric wrap (RSA-2048 private key)")]
    public WrappedKeyMaterial AsymmetricWrap() => KeyMaterialWrapper.Shared.Wrap(_privateKey!, _wrappingKey!, WrappingAlgorithm.RsaesOaepSha256);
}
