using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>
/// What get-parameters-for-import returns: the wrapping public key and the import token for one
/// key, valid together until <see cref="ExpiresOn"/> (24 hours on the service).
/// </summary>
/// <remarks>The import token is a secret: <see cref="ToString"/> redacts it and the SDK never logs it.</remarks>
public sealed class ImportParameters
{
    /// <summary>Creates import parameters (the transports; in tests, <see cref="KmsImportModelFactory.ImportParameters"/>).</summary>
    /// <param name="keyId">The key the parameters belong to.</param>
    /// <param name="wrappingAlgorithm">The wrapping algorithm the parameters were issued for.</param>
    /// <param name="wrappingKey">The parsed wrapping public key.</param>
    /// <param name="importToken">The opaque import token (Base64).</param>
    /// <param name="expiresOn">When the wrapping key and token stop being valid.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/>, <paramref name="wrappingKey"/> or <paramref name="importToken"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> or <paramref name="importToken"/> is empty.</exception>
    internal ImportParameters(string keyId, WrappingAlgorithm wrappingAlgorithm, WrappingPublicKey wrappingKey, string importToken, DateTimeOffset expiresOn)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(wrappingKey);
        ArgumentException.ThrowIfNullOrEmpty(importToken);
        KeyId = keyId;
        WrappingAlgorithm = wrappingAlgorithm;
        WrappingKey = wrappingKey;
        ImportToken = importToken;
        ExpiresOn = expiresOn;
    }

    /// <summary>The key the parameters belong to.</summary>
    public string KeyId { get; }

    /// <summary>The wrapping algorithm the parameters were issued for.</summary>
    public WrappingAlgorithm WrappingAlgorithm { get; }

    /// <summary>The wrapping public key, parsed once and reusable across wraps.</summary>
    public WrappingPublicKey WrappingKey { get; }

    /// <summary>The opaque import token. A secret: do not log it.</summary>
    public string ImportToken { get; }

    /// <summary>When the wrapping key and the token stop being valid.</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>Whether the parameters are still valid for at least <paramref name="safetyMargin"/> from now.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="safetyMargin">How long the parameters must stay valid (time to wrap and send).</param>
    /// <returns>True when they can still be used.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public bool IsValid(TimeProvider timeProvider, TimeSpan safetyMargin)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return timeProvider.GetUtcNow() + safetyMargin < ExpiresOn;
    }

    /// <summary>A description without the import token.</summary>
    public override string ToString() =>
        $"ImportParameters {{ KeyId = {KeyId}, WrappingAlgorithm = {WrappingAlgorithm}, WrappingKey = {WrappingKey.Describe()}, ImportToken = ***, ExpiresOn = {ExpiresOn:O} }}";
}
