using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing.Emulation;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Sdk.Testing;

// SM2_ENCRYPT and the capability profile: issuing SM2 wrapping keys and routing SM imports to SmMaterialUnwrapper.
public sealed partial class LocalKms
{
    /// <summary>The cloud and region the emulator plays (<see cref="LocalKmsOptions.Capabilities"/>; <see cref="KmsCapabilities.Unrestricted"/> when not set).</summary>
    public KmsCapabilities Capabilities => _options.Capabilities ?? KmsCapabilities.Unrestricted;

    private string? RefuseKeySpec(KeySpec spec) =>
        Capabilities.CanImport(spec) ? null : $"key_spec '{spec}' does not accept imported material in {Capabilities.Name}; importable specs are {string.Join(", ", Capabilities.ImportableKeySpecs)}";

    private string? RefuseAlgorithm(WrappingAlgorithm algorithm) =>
        Capabilities.Offers(algorithm) ? null : $"wrapping_algorithm '{algorithm}' is not offered in {Capabilities.Name}; offered: {string.Join(", ", Capabilities.WrappingAlgorithms)}";

    private ImportParameters IssueSm2ImportParameters(string keyId, WrappingAlgorithm algorithm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ECPrivateKeyParameters privateKey = SmMaterialUnwrapper.GenerateWrappingKey(out byte[] spki);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long expires = (now + _options.ImportParametersLifetime).ToUnixTimeSeconds();
        PurgeExpiredParameters(now);

        string tokenId = ImportTokenAuthority.NewTokenId();
        string token = _tokens.Issue(tokenId, keyId, expires);
        _issued[tokenId] = new IssuedImportParameters(keyId, null, algorithm, expires) { Sm2PrivateKey = privateKey };
        return KmsImportModelFactory.ImportParameters(
            WrappingPublicKey.FromSubjectPublicKeyInfo(spki),
            keyId,
            algorithm,
            token,
            DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    private static bool TryDecryptMaterial(IssuedImportParameters issued, byte[] ciphertext, out byte[]? plaintext) =>
        issued.Sm2PrivateKey is { } sm2
            ? SmMaterialUnwrapper.TryDecrypt(sm2, ciphertext, out plaintext)
            : ImportedMaterialUnwrapper.TryDecrypt(issued.PrivateKey!, ciphertext, issued.Algorithm, out plaintext);

    // Under SM2_ENCRYPT the temporary key is SM4 and the wrap RFC 5649 over SM4; SM2 keys are checked by SmMaterialUnwrapper.
    private static bool TryUnwrapPrivateKeyMaterial(IssuedImportParameters issued, KeySpec keySpec, byte[] temporaryKey, byte[] wrapped, out byte[]? material)
    {
        bool unwrapped = issued.Sm2PrivateKey is not null
            ? SmMaterialUnwrapper.TryUnwrapPrivateKey(temporaryKey, wrapped, out material)
            : ImportedMaterialUnwrapper.TryUnwrapPrivateKey(temporaryKey, wrapped, out material);
        return unwrapped && (keySpec == KeySpec.Sm2
            ? SmMaterialUnwrapper.IsSm2PrivateKey(material!)
            : ImportedMaterialUnwrapper.IsPrivateKeyFor(material, keySpec));
    }
}
