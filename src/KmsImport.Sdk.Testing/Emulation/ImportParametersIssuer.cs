using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// Issues import parameters (a wrapping key, RSA from the <see cref="WrappingKeyPool"/> or SM2,
/// and an HMAC-bound import token), keeps their private halves until they are consumed or expire,
/// and redeems tokens. Thread-safe.
/// </summary>
internal sealed class ImportParametersIssuer : IDisposable
{
    private readonly ConcurrentDictionary<string, IssuedImportParameters> _issued = new(StringComparer.Ordinal);
    private readonly ImportTokenAuthority _tokens = new();
    private readonly WrappingKeyPool _wrappingKeys;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _timeProvider;

    public ImportParametersIssuer(int wrappingKeySizeInBits, int wrappingKeyPoolSize, TimeSpan lifetime, TimeProvider timeProvider)
    {
        _wrappingKeys = new WrappingKeyPool(wrappingKeySizeInBits, wrappingKeyPoolSize);
        _lifetime = lifetime;
        _timeProvider = timeProvider;
    }

    /// <summary>Issues parameters with a new wrapping key of the kind <paramref name="algorithm"/> needs.</summary>
    public ImportParameters Issue(string keyId, WrappingAlgorithm algorithm)
    {
        if (algorithm.IsSm2)
        {
            ECPrivateKeyParameters privateKey = SmMaterialUnwrapper.GenerateWrappingKey(out byte[] spki);
            return Register(keyId, algorithm, spki, expires => new IssuedImportParameters(keyId, null, algorithm, expires) { Sm2PrivateKey = privateKey });
        }

        RSA wrappingKey = _wrappingKeys.Next();
        try
        {
            return Issue(keyId, wrappingKey, algorithm);
        }
        catch
        {
            wrappingKey.Dispose();
            throw;
        }
    }

    /// <summary>Issues parameters for a given RSA wrapping private key, which the issuer then owns.</summary>
    public ImportParameters Issue(string keyId, RSA wrappingPrivateKey, WrappingAlgorithm algorithm) =>
        Register(keyId, algorithm, wrappingPrivateKey.ExportSubjectPublicKeyInfo(), expires => new IssuedImportParameters(keyId, wrappingPrivateKey, algorithm, expires));

    /// <summary>Checks <paramref name="token"/> for the key <paramref name="keyId"/>; an expired token's parameters are released.</summary>
    public ImportTokenCheck Redeem(string? token, string keyId, [NotNullWhen(true)] out string? tokenId, [NotNullWhen(true)] out IssuedImportParameters? issued)
    {
        issued = null;
        if (!_tokens.TryVerify(token, out tokenId, out string tokenKeyId, out long tokenExpires)
            || !_issued.TryGetValue(tokenId, out issued))
        {
            tokenId = null;
            return ImportTokenCheck.Invalid;
        }

        if (!string.Equals(tokenKeyId, keyId, StringComparison.Ordinal))
        {
            return ImportTokenCheck.KeyMismatch;
        }

        if (_timeProvider.GetUtcNow().ToUnixTimeSeconds() >= tokenExpires)
        {
            Release(tokenId);
            return ImportTokenCheck.Expired;
        }

        return ImportTokenCheck.Valid;
    }

    /// <summary>Consumes the parameters of a token after a successful import.</summary>
    public void Release(string tokenId)
    {
        if (_issued.TryRemove(tokenId, out IssuedImportParameters? removed))
        {
            removed.PrivateKey?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (IssuedImportParameters issued in _issued.Values)
        {
            issued.PrivateKey?.Dispose();
        }

        _issued.Clear();
        _tokens.Dispose();
        _wrappingKeys.Dispose();
    }

    private ImportParameters Register(string keyId, WrappingAlgorithm algorithm, byte[] subjectPublicKeyInfo, Func<long, IssuedImportParameters> create)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long expires = (now + _lifetime).ToUnixTimeSeconds();
        PurgeExpired(now);

        string tokenId = ImportTokenAuthority.NewTokenId();
        string token = _tokens.Issue(tokenId, keyId, expires);
        _issued[tokenId] = create(expires);
        return KmsImportModelFactory.ImportParameters(
            WrappingPublicKey.FromSubjectPublicKeyInfo(subjectPublicKeyInfo),
            keyId,
            algorithm,
            token,
            DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    private void PurgeExpired(DateTimeOffset now)
    {
        long nowSeconds = now.ToUnixTimeSeconds();
        long grace = (long)EmulatorRules.ExpiredParametersGrace.TotalSeconds;
        foreach (KeyValuePair<string, IssuedImportParameters> entry in _issued)
        {
            if (entry.Value.ExpiresUnixSeconds + grace <= nowSeconds)
            {
                Release(entry.Key);
            }
        }
    }
}
