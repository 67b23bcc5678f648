using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>The private half of issued import parameters: the wrapping private key (RSA or SM2) an import token refers to.</summary>
internal sealed class IssuedImportParameters(string keyId, RSA? privateKey, WrappingAlgorithm algorithm, long expiresUnixSeconds)
{
    public string KeyId { get; } = keyId;

    public RSA? PrivateKey { get; } = privateKey;

    public ECPrivateKeyParameters? Sm2PrivateKey { get; init; }

    public WrappingAlgorithm Algorithm { get; } = algorithm;

    public long ExpiresUnixSeconds { get; } = expiresUnixSeconds;
}
