using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>
/// Builds the SDK's output types for your own tests, for example as the results a mocked
/// <see cref="IKeyImportClient"/> returns. Every parameter is optional: name only what a test is about.
/// </summary>
/// <remarks>
/// Output types have no public constructor that fixes their shape, so members can be added in later
/// versions without breaking callers; these methods gain optional parameters instead.
/// </remarks>
/// <example>
/// <code>
/// var client = new Mock&lt;IKeyImportClient&gt;();
/// client.Setup(c => c.ImportKeyMaterialAsync(keyId, It.IsAny&lt;KeyMaterial&gt;(), null, default))
///     .ReturnsAsync(KmsImportModelFactory.KeyImportResult(keyId: keyId, keyState: KeyState.Enabled));
/// </code>
/// </example>
public static class KmsImportModelFactory
{
    private const string DefaultKeyId = "00000000-0000-0000-0000-000000000000";
    private static readonly string s_zeroFingerprint = new('0', 64);

    /// <summary>A <see cref="Sdk.KeyImportResult"/>.</summary>
    /// <param name="keyId">The key id; default an all-zero key id.</param>
    /// <param name="keyState">The key state; default <see cref="KeyState.Enabled"/>.</param>
    /// <param name="materialExpiresOn">When the material expires; default null (never).</param>
    /// <param name="materialFingerprint">Lower-case hex SHA-256 of the material; default 64 zeros.</param>
    /// <param name="confirmation">How the import was confirmed; default the service's answer for <paramref name="materialFingerprint"/>.</param>
    /// <returns>The result.</returns>
    public static KeyImportResult KeyImportResult(
        string? keyId = null,
        KeyState? keyState = null,
        DateTimeOffset? materialExpiresOn = null,
        string? materialFingerprint = null,
        ImportConfirmation? confirmation = null)
    {
        string fingerprint = materialFingerprint ?? confirmation?.MaterialFingerprint ?? s_zeroFingerprint;
        return new KeyImportResult
        {
            KeyId = keyId ?? DefaultKeyId,
            KeyState = keyState ?? KeyState.Enabled,
            MaterialExpiresOn = materialExpiresOn,
            MaterialFingerprint = fingerprint,
            Confirmation = confirmation ?? ImportConfirmation(materialFingerprint: fingerprint),
        };
    }

    /// <summary>An <see cref="Sdk.ImportConfirmation"/>.</summary>
    /// <param name="kind">How the import was confirmed; default <see cref="ImportConfirmationKind.ServiceAccepted"/>.</param>
    /// <param name="materialFingerprint">Lower-case hex SHA-256 of the material; default 64 zeros.</param>
    /// <param name="publicKeyFingerprint">Lower-case hex SHA-256 of the key's public key; default null.</param>
    /// <returns>The confirmation.</returns>
    public static ImportConfirmation ImportConfirmation(
        ImportConfirmationKind kind = ImportConfirmationKind.ServiceAccepted,
        string? materialFingerprint = null,
        string? publicKeyFingerprint = null) => new()
        {
            Kind = kind,
            MaterialFingerprint = materialFingerprint ?? s_zeroFingerprint,
            PublicKeyFingerprint = publicKeyFingerprint,
        };

    /// <summary>A <see cref="Sdk.BatchImportResult"/>: a success when <paramref name="error"/> is null.</summary>
    /// <param name="keyId">The key id; default the result's key id, or an all-zero key id.</param>
    /// <param name="result">The import result; default a <see cref="KeyImportResult"/> for <paramref name="keyId"/> when <paramref name="error"/> is null.</param>
    /// <param name="error">The failure; default null.</param>
    /// <returns>The batch result.</returns>
    public static BatchImportResult BatchImportResult(string? keyId = null, KeyImportResult? result = null, Exception? error = null)
    {
        string id = keyId ?? result?.KeyId ?? DefaultKeyId;
        return new BatchImportResult
        {
            KeyId = id,
            Result = result ?? (error is null ? KeyImportResult(keyId: id) : null),
            Error = error,
        };
    }

    /// <summary>A <see cref="Sdk.BatchImportProgress"/>.</summary>
    /// <param name="completed">Keys completed; default <paramref name="succeeded"/> + <paramref name="failed"/>.</param>
    /// <param name="succeeded">Keys imported; default 0.</param>
    /// <param name="failed">Keys failed; default 0.</param>
    /// <param name="total">The number of items; default null (unknown).</param>
    /// <param name="lastKeyId">The key that just completed; default an all-zero key id.</param>
    /// <returns>The progress.</returns>
    public static BatchImportProgress BatchImportProgress(int? completed = null, int succeeded = 0, int failed = 0, int? total = null, string? lastKeyId = null) => new()
    {
        Completed = completed ?? (succeeded + failed),
        Succeeded = succeeded,
        Failed = failed,
        Total = total,
        LastKeyId = lastKeyId ?? DefaultKeyId,
    };

    /// <summary>A <see cref="Sdk.CreateKeyResult"/>.</summary>
    /// <param name="keyId">The new key's id; default an all-zero key id.</param>
    /// <param name="domainId">The account (domain) id; default null.</param>
    /// <returns>The result.</returns>
    public static CreateKeyResult CreateKeyResult(string? keyId = null, string? domainId = null) => new()
    {
        KeyId = keyId ?? DefaultKeyId,
        DomainId = domainId,
    };

    /// <summary>A <see cref="Sdk.KeyDetails"/>.</summary>
    /// <param name="keyId">The key id; default an all-zero key id.</param>
    /// <param name="keyState">The key state; default <see cref="KeyState.Enabled"/>.</param>
    /// <param name="keySpec">The key spec; default null.</param>
    /// <param name="keyUsage">The key usage; default null.</param>
    /// <param name="origin">The origin; default null.</param>
    /// <param name="keyAlias">The alias; default null.</param>
    /// <param name="keyDescription">The description; default null.</param>
    /// <param name="domainId">The account (domain) id; default null.</param>
    /// <param name="realm">The region; default null.</param>
    /// <param name="creationDate">When the key was created; default null.</param>
    /// <param name="scheduledDeletionDate">When the key will be deleted; default null.</param>
    /// <param name="materialExpiresOn">When the imported material expires; default null.</param>
    /// <param name="defaultKeyFlag">Whether it is a default key; default null.</param>
    /// <param name="keyType">The key type; default null.</param>
    /// <param name="keyRotationEnabled">Whether rotation is enabled; default null.</param>
    /// <param name="enterpriseProjectId">The enterprise project id; default null.</param>
    /// <param name="keystoreId">The keystore id; default null.</param>
    /// <returns>The details.</returns>
    public static KeyDetails KeyDetails(
        string? keyId = null,
        KeyState? keyState = null,
        KeySpec? keySpec = null,
        KeyUsage? keyUsage = null,
        KeyOrigin? origin = null,
        string? keyAlias = null,
        string? keyDescription = null,
        string? domainId = null,
        string? realm = null,
        DateTimeOffset? creationDate = null,
        DateTimeOffset? scheduledDeletionDate = null,
        DateTimeOffset? materialExpiresOn = null,
        bool? defaultKeyFlag = null,
        string? keyType = null,
        bool? keyRotationEnabled = null,
        string? enterpriseProjectId = null,
        string? keystoreId = null) => new()
        {
            KeyId = keyId ?? DefaultKeyId,
            KeyState = keyState ?? KeyState.Enabled,
            KeySpec = keySpec,
            KeyUsage = keyUsage,
            Origin = origin,
            KeyAlias = keyAlias,
            KeyDescription = keyDescription,
            DomainId = domainId,
            Realm = realm,
            CreationDate = creationDate,
            ScheduledDeletionDate = scheduledDeletionDate,
            MaterialExpiresOn = materialExpiresOn,
            DefaultKeyFlag = defaultKeyFlag,
            KeyType = keyType,
            KeyRotationEnabled = keyRotationEnabled,
            EnterpriseProjectId = enterpriseProjectId,
            KeystoreId = keystoreId,
        };

    /// <summary>A <see cref="Sdk.ListKeysPage"/>.</summary>
    /// <param name="keys">The keys of the page; default none.</param>
    /// <param name="nextMarker">The marker of the next page; default null (last page).</param>
    /// <param name="truncated">Whether more pages follow; default whether <paramref name="nextMarker"/> is set.</param>
    /// <param name="total">The total number of keys; default null.</param>
    /// <returns>The page.</returns>
    public static ListKeysPage ListKeysPage(IEnumerable<KeyDetails>? keys = null, string? nextMarker = null, bool? truncated = null, int? total = null) => new()
    {
        Keys = keys?.ToArray() ?? [],
        NextMarker = nextMarker,
        Truncated = truncated ?? nextMarker is not null,
        Total = total,
    };

    /// <summary>An <see cref="Sdk.ImportParameters"/>.</summary>
    /// <param name="wrappingKey">The wrapping public key (for example <see cref="WrappingPublicKey.FromSubjectPublicKeyInfo"/> of <c>RSA.ExportSubjectPublicKeyInfo()</c>).</param>
    /// <param name="keyId">The key id; default an all-zero key id.</param>
    /// <param name="wrappingAlgorithm">The wrapping algorithm; default <see cref="WrappingAlgorithm.RsaesOaepSha256"/>.</param>
    /// <param name="importToken">The import token; default a placeholder.</param>
    /// <param name="expiresOn">When the parameters expire; default <see cref="DateTimeOffset.MaxValue"/>.</param>
    /// <returns>The parameters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="wrappingKey"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> or <paramref name="importToken"/> is empty.</exception>
    public static ImportParameters ImportParameters(
        WrappingPublicKey wrappingKey,
        string? keyId = null,
        WrappingAlgorithm? wrappingAlgorithm = null,
        string? importToken = null,
        DateTimeOffset? expiresOn = null) =>
        new(keyId ?? DefaultKeyId, wrappingAlgorithm ?? WrappingAlgorithm.RsaesOaepSha256, wrappingKey, importToken ?? "import-token", expiresOn ?? DateTimeOffset.MaxValue);

    /// <summary>A <see cref="Sdk.KmsPublicKey"/> from PEM, as get-publickey returns it.</summary>
    /// <param name="pem">The PEM (<c>PUBLIC KEY</c> or <c>RSA PUBLIC KEY</c>).</param>
    /// <param name="keyId">The key id; default an all-zero key id.</param>
    /// <returns>The public key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pem"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a PEM public key.</exception>
    public static KmsPublicKey KmsPublicKey(string pem, string? keyId = null) => Sdk.KmsPublicKey.FromPem(keyId ?? DefaultKeyId, pem);
}
