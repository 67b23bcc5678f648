using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using KmsImport.Sdk.Cryptography;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace KmsImport.Sdk.Benchmarks;

/// <summary>
/// RFC 5649 over SM4 of an SM2 private key (OpenSSL's 138-byte PKCS#8) under a 16-byte SM4 temporary key:
/// <see cref="Sm4KeyWrapPad"/> against BouncyCastle's own <c>Rfc5649WrapEngine</c> over <c>SM4Engine</c> (the baseline).
/// </summary>
[MemoryDiagnoser]
public class Sm4WrapBenchmarks
{
    private byte[] _kek = [];
    private byte[] _pkcs8 = [];
    private byte[] _wrapped = [];
    private byte[] _destination = [];
    private Rfc5649WrapEngine? _wrapEngine;
    private Rfc5649WrapEngine? _unwrapEngine;

    [GlobalSetup]
    public void Setup()
    {
        _kek = RandomNumberGenerator.GetBytes(16);
        using KeyMaterial material = KeyMaterial.FromPrivateKey(SmKeys.NewSm2Pkcs8());
        _pkcs8 = material.Span.ToArray();
        _wrapped = Sm4KeyWrapPad.Wrap(_kek, _pkcs8);
        _destination = new byte[_wrapped.Length];
        _wrapEngine = new Rfc5649WrapEngine(new SM4Engine());
        _wrapEngine.Init(true, new KeyParameter(_kek));
        _unwrapEngine = new Rfc5649WrapEngine(new SM4Engine());
        _unwrapEngine.Init(false, new KeyParameter(_kek));
        Console.WriteLine($"// SM2 PKCS#8: {_pkcs8.Length} bytes, n = {_wrapped.Length / 8 - 1}, {6 * (_wrapped.Length / 8 - 1)} SM4 blocks");
    }

    [Benchmark(Baseline = true, Description = "BouncyCastle Rfc5649WrapEngine(SM4Engine).Wrap")]
    public byte[] BouncyCastleWrap() => _wrapEngine!.Wrap(_pkcs8, 0, _pkcs8.Length);

    [Benchmark(Description = "Sm4KeyWrapPad.Wrap (span)")]
    public int Wrap() => Sm4KeyWrapPad.Wrap(_kek, _pkcs8, _destination);

    [Benchmark(Description = "Sm4KeyWrapPad.Wrap (array)")]
    public byte[] WrapArray() => Sm4KeyWrapPad.Wrap(_kek, _pkcs8);

    [Benchmark(Description = "BouncyCastle Rfc5649WrapEngine(SM4Engine).Unwrap")]
    public byte[] BouncyCastleUnwrap() => _unwrapEngine!.Unwrap(_wrapped, 0, _wrapped.Length);

    [Benchmark(Description = "Sm4KeyWrapPad.Unwrap")]
    public byte[] Unwrap() => Sm4KeyWrapPad.Unwrap(_kek, _wrapped);
}

/// <summary>
/// SM2_ENCRYPT of 16 bytes (an SM4 key or temporary key): <see cref="Sm2Encryption"/> (GM/T 0009 DER) against
/// BouncyCastle's <c>SM2Engine</c> alone (raw C1C3C2, the baseline), and the whole wrapping service for SM4
/// material and for an SM2 private key.
/// </summary>
[MemoryDiagnoser]
public class Sm2EncryptBenchmarks
{
    private byte[] _sm4 = [];
    private WrappingPublicKey? _wrappingKey;
    private ECPublicKeyParameters? _publicKey;
    private SecureRandom? _random;
    private KeyMaterial? _sm4Material;
    private KeyMaterial? _sm2Material;

    [GlobalSetup]
    public void Setup()
    {
        _sm4 = RandomNumberGenerator.GetBytes(16);
        var pair = SmKeys.NewPair();
        _publicKey = (ECPublicKeyParameters)pair.Public;
        _wrappingKey = WrappingPublicKey.FromSubjectPublicKeyInfo(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded());
        _random = new SecureRandom();
        _sm4Material = KeyMaterial.FromSymmetricKey(_sm4, KeySpec.Sm4);
        _sm2Material = KeyMaterial.FromPrivateKey(SmKeys.NewSm2Pkcs8());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sm4Material?.Dispose();
        _sm2Material?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "BouncyCastle SM2Engine (raw C1C3C2), 16 B")]
    public byte[] BouncyCastleRaw()
    {
        var engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
        engine.Init(true, new ParametersWithRandom(_publicKey, _random));
        return engine.ProcessBlock(_sm4, 0, _sm4.Length);
    }

    [Benchmark(Description = "Sm2Encryption.Encrypt (DER), 16 B")]
    public byte[] Encrypt() => Sm2Encryption.Encrypt(_wrappingKey!.Sm2!, _sm4);

    [Benchmark(Description = "KeyMaterialWrapper.Wrap, SM4 material")]
    public WrappedKeyMaterial WrapSm4() => KeyMaterialWrapper.Shared.Wrap(_sm4Material!, _wrappingKey!, WrappingAlgorithm.Sm2Encrypt);

    [Benchmark(Description = "KeyMaterialWrapper.Wrap, SM2 private key")]
    public WrappedKeyMaterial WrapSm2() => KeyMaterialWrapper.Shared.Wrap(_sm2Material!, _wrappingKey!, WrappingAlgorithm.Sm2Encrypt);
}

internal static class SmKeys
{
    public static AsymmetricCipherKeyPair NewPair()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(
            new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1)),
            new SecureRandom()));
        return generator.GenerateKeyPair();
    }

    public static byte[] NewSm2Pkcs8() => PrivateKeyInfoFactory.CreatePrivateKeyInfo(NewPair().Private).GetDerEncoded();
}
