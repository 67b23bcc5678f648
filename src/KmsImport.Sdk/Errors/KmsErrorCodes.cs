namespace KmsImport.Sdk;

/// <summary>The KMS and API gateway error codes that matter for key import.</summary>
public static class KmsErrorCodes
{
    /// <summary>Invalid key id.</summary>
    public const string InvalidKeyId = "KMS.0205";

    /// <summary>The key does not exist.</summary>
    public const string KeyNotFound = "KMS.0207";

    /// <summary>The key's origin is not <c>external</c>.</summary>
    public const string ExternalKeyRequired = "KMS.0309";

    /// <summary>The key is not in the "pending import" state.</summary>
    public const string KeyNotPendingImport = "KMS.0310";

    /// <summary>The material could not be decrypted with the wrapping private key.</summary>
    public const string DecryptionFailed = "KMS.0311";

    /// <summary>The import token has expired.</summary>
    public const string ImportTokenExpired = "KMS.2601";

    /// <summary>The material expiration time is not in the future.</summary>
    public const string ExpirationTimeInvalid = "KMS.2602";

    /// <summary>The key id and the import token do not match.</summary>
    public const string ImportTokenKeyMismatch = "KMS.2603";

    /// <summary>Symmetric material has the wrong length.</summary>
    public const string MaterialLengthInvalid = "KMS.2604";

    /// <summary>The import token failed verification.</summary>
    public const string ImportTokenInvalid = "KMS.2605";

    /// <summary>Re-imported material differs from the material that was deleted.</summary>
    public const string MaterialMismatch = "KMS.2606";

    /// <summary>An asymmetric import is missing <c>encrypted_privatekey</c>.</summary>
    public const string PrivateKeyMissing = "KMS.2608";

    /// <summary>The private key is invalid or does not match the key spec.</summary>
    public const string PrivateKeyInvalid = "KMS.2609";

    /// <summary>The temporary key must be 16 or 32 bytes.</summary>
    public const string TemporaryKeyLengthInvalid = "KMS.2610";

    /// <summary>The material is not Enabled or Disabled and cannot be deleted.</summary>
    public const string MaterialNotDeletable = "KMS.2701";

    /// <summary>Imported private key material cannot be deleted.</summary>
    public const string PrivateKeyMaterialNotDeletable = "KMS.2702";

    /// <summary>The IAM token is invalid.</summary>
    public const string AuthTokenInvalid = "KMS.0301";

    /// <summary>The IAM token has expired.</summary>
    public const string AuthTokenExpired = "KMS.0303";

    /// <summary>The signature or the credentials are invalid. Never retried: five failures lock the AK for five minutes.</summary>
    public const string SignatureInvalid = "APIG.0301";

    /// <summary><c>X-Sdk-Date</c> is more than 15 minutes away from the server's clock.</summary>
    public const string ClockSkew = "APIG.0303";

    /// <summary>The request was throttled.</summary>
    public const string Throttled = "APIG.0308";

    /// <summary>The key alias already exists (create-key, update-key-alias). Never retried.</summary>
    public const string DuplicateAlias = "KMS.1104";

    /// <summary>Too many keys: the key quota is reached.</summary>
    public const string KeyQuotaExceeded = "KMS.1105";

    /// <summary>The resource is frozen; renew the service. Never retried.</summary>
    public const string ResourceFrozen = "KMS.0320";

    /// <summary>KMS is frozen for the account; renew the service. Never retried.</summary>
    public const string ServiceFrozen = "KMS.0328";

    /// <summary>A system exception occurred on the service side.</summary>
    public const string SystemError = "KMS.0105";

    /// <summary>The region serves a replica: only read operations are allowed. Never retried.</summary>
    public const string ReplicaReadOnly = "KMS.0106";

    /// <summary>External (imported) keys cannot be rotated. Never retried.</summary>
    public const string ExternalKeyNotRotatable = "KMS.0312";

    /// <summary>Rotation is not supported in the current KMS version.</summary>
    public const string RotationNotSupported = "KMS.0319";

    /// <summary>A custom keystore does not support rotation.</summary>
    public const string CustomKeystoreNoRotation = "KMS.0338";

    /// <summary>A custom keystore does not support imported keys. Never retried.</summary>
    public const string CustomKeystoreNoImport = "KMS.0339";

    /// <summary>This region is not the key's original region: import-key-material is not allowed here. Never retried.</summary>
    public const string NotOriginalRegion = "KMS.1404";

    /// <summary>A short hint on what to do about an error code, or null when there is none.</summary>
    /// <param name="errorCode">The error code.</param>
    /// <returns>The hint, or null.</returns>
    public static string? GetHint(string? errorCode) => errorCode switch
    {
        InvalidKeyId => "check the key id: 36 characters, lower-case letters, digits and dashes",
        KeyNotFound => "the key does not exist in this project and region",
        ExternalKeyRequired => "only keys created with origin 'external' accept imported material",
        KeyNotPendingImport => "the key already has material or is not in the 'pending import' state",
        DecryptionFailed => "the material was not wrapped with this key's current wrapping key and algorithm",
        ImportTokenExpired => "the import token expired; fetch new import parameters and wrap again",
        ExpirationTimeInvalid => "the material expiration time must be in the future",
        ImportTokenKeyMismatch => "the import token belongs to another key",
        MaterialLengthInvalid => "symmetric material has the wrong length for the key spec",
        ImportTokenInvalid => "the import token is not valid; fetch new import parameters",
        MaterialMismatch => "a key whose material was deleted only accepts the same material again",
        PrivateKeyMissing => "an asymmetric key needs the wrapped private key too",
        PrivateKeyInvalid => "the private key is invalid or does not match the key spec",
        TemporaryKeyLengthInvalid => "the temporary AES key must be 16 or 32 bytes",
        MaterialNotDeletable => "only Enabled or Disabled material can be deleted",
        PrivateKeyMaterialNotDeletable => "imported private keys are permanent",
        AuthTokenInvalid => "the IAM token is not valid for this project; get a project-scoped token (the client asks an IamTokenCredential provider once more by itself)",
        AuthTokenExpired => "the IAM token expired; get a new one (the client asks an IamTokenCredential provider once more by itself)",
        SignatureInvalid => "check the AK/SK; not retried, since five failures lock the AK for five minutes",
        ClockSkew => "this machine's clock is more than 15 minutes off; synchronise it (NTP)",
        Throttled => "throttled; retried with back-off",
        DuplicateAlias => "an alias is unique per account and region; choose another alias or use the existing key",
        KeyQuotaExceeded => "the key quota is reached; schedule unused keys for deletion or ask for a higher quota",
        ResourceFrozen or ServiceFrozen => "the KMS service is frozen (arrears or expired subscription); renew it in the console, then try again",
        SystemError => "the service reported an internal error; contact support with the request id",
        ReplicaReadOnly => "this region holds a replica and accepts reads only; send the request to the key's primary region",
        ExternalKeyNotRotatable => "keys with imported material cannot be rotated by the service",
        RotationNotSupported or CustomKeystoreNoRotation => "rotation is not available for this key",
        CustomKeystoreNoImport => "keys in a custom keystore cannot take imported material; create the key in the default keystore (keystore_id 0)",
        NotOriginalRegion => "import into the key's original region, not a replica region",
        _ => null,
    };
}
