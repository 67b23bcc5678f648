namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// The KMS error codes the emulator answers, stated here on purpose rather than taken from the
/// SDK's <c>KmsErrorCodes</c>, so that the emulator is a check on the client's table and not a
/// copy of it (a test compares the two). The gateway's and IAM's codes are in
/// <see cref="Server.GatewayErrors"/>.
/// </summary>
internal static class EmulatorErrorCodes
{
    /// <summary>
    /// A malformed parameter the contract gives no specific code for (an alias outside the pattern,
    /// a bad sequence, an unsupported wrapping algorithm, a body that is not JSON). Not confirmed
    /// against the service.
    /// </summary>
    public const string InvalidParameter = "KMS.0201";

    /// <summary>400: key_id is not 36 characters of lower-case letters, digits and dashes.</summary>
    public const string InvalidKeyId = "KMS.0205";

    /// <summary>404: the key does not exist.</summary>
    public const string KeyNotFound = "KMS.0207";

    /// <summary>400: the key's origin is not external.</summary>
    public const string ExternalKeyRequired = "KMS.0309";

    /// <summary>400: the key is not pending import.</summary>
    public const string KeyNotPendingImport = "KMS.0310";

    /// <summary>400: the material could not be decrypted with the wrapping private key.</summary>
    public const string DecryptionFailed = "KMS.0311";

    /// <summary>400: the key is frozen (arrears).</summary>
    public const string ResourceFrozen = "KMS.0320";

    /// <summary>400: a custom keystore takes no imported material.</summary>
    public const string CustomKeystoreNoImport = "KMS.0339";

    /// <summary>400: the alias exists already.</summary>
    public const string DuplicateAlias = "KMS.1104";

    /// <summary>400: list-keys limit out of range or not a number.</summary>
    public const string InvalidLimit = "KMS.1601";

    /// <summary>400: list-keys marker not a non-negative number.</summary>
    public const string InvalidMarker = "KMS.1602";

    /// <summary>400: the import token has expired.</summary>
    public const string ImportTokenExpired = "KMS.2601";

    /// <summary>400: expiration_time in the past, or given for asymmetric material.</summary>
    public const string ExpirationTimeInvalid = "KMS.2602";

    /// <summary>400: the import token was issued for another key.</summary>
    public const string ImportTokenKeyMismatch = "KMS.2603";

    /// <summary>400: symmetric material of the wrong length.</summary>
    public const string MaterialLengthInvalid = "KMS.2604";

    /// <summary>400: the import token failed verification.</summary>
    public const string ImportTokenInvalid = "KMS.2605";

    /// <summary>400: a key whose material was deleted takes only the same material again.</summary>
    public const string MaterialMismatch = "KMS.2606";

    /// <summary>400: an asymmetric key needs encrypted_privatekey.</summary>
    public const string PrivateKeyMissing = "KMS.2608";

    /// <summary>400: encrypted_privatekey does not unwrap to a private key of the key spec.</summary>
    public const string PrivateKeyInvalid = "KMS.2609";

    /// <summary>400: the temporary key is not 16 or 32 bytes.</summary>
    public const string TemporaryKeyLengthInvalid = "KMS.2610";

    /// <summary>400: only Enabled or Disabled material can be deleted.</summary>
    public const string MaterialNotDeletable = "KMS.2701";

    /// <summary>400: imported private key material is permanent.</summary>
    public const string PrivateKeyMaterialNotDeletable = "KMS.2702";

    /// <summary>An error without a code of its own (the fallback of the HTTP server).</summary>
    public const string Unspecified = "KMS.0100";

    /// <summary>500: an injected internal error.</summary>
    public const string InternalError = "KMS.0101";

    /// <summary>503: an injected unavailability.</summary>
    public const string ServiceUnavailable = "KMS.0103";

    /// <summary>The code of the filler body a truncated-body fault cuts in half.</summary>
    public const string Filler = "KMS.0000";

    /// <summary>
    /// Every code a request to the emulated KMS itself can be answered with (not the injected ones):
    /// the table <c>EmulatorContractAgreementTests</c> holds against the SDK's.
    /// </summary>
    public static readonly IReadOnlyList<string> Answered =
    [
        InvalidParameter, InvalidKeyId, KeyNotFound, ExternalKeyRequired, KeyNotPendingImport, DecryptionFailed,
        ResourceFrozen, CustomKeystoreNoImport, DuplicateAlias, InvalidLimit, InvalidMarker, ImportTokenExpired,
        ExpirationTimeInvalid, ImportTokenKeyMismatch, MaterialLengthInvalid, ImportTokenInvalid, MaterialMismatch,
        PrivateKeyMissing, PrivateKeyInvalid, TemporaryKeyLengthInvalid, MaterialNotDeletable, PrivateKeyMaterialNotDeletable,
    ];
}
