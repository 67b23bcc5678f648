using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

// The JSON bodies of the KMS REST API (kms-api.md), exactly as they travel. Internal: the public
// surface is the typed requests and results in Transport/ and Models/. The emulator reuses them.

internal sealed class CreateKeyWireRequest
{
    [JsonPropertyName("key_alias")]
    public required string KeyAlias { get; init; }

    [JsonPropertyName("key_spec")]
    public string? KeySpec { get; init; }

    [JsonPropertyName("key_usage")]
    public string? KeyUsage { get; init; }

    [JsonPropertyName("key_description")]
    public string? KeyDescription { get; init; }

    [JsonPropertyName("origin")]
    public string? Origin { get; init; }

    [JsonPropertyName("enterprise_project_id")]
    public string? EnterpriseProjectId { get; init; }

    [JsonPropertyName("keystore_id")]
    public string? KeystoreId { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}

internal sealed class GetParametersForImportWireRequest
{
    [JsonPropertyName("key_id")]
    public required string KeyId { get; init; }

    [JsonPropertyName("wrapping_algorithm")]
    public string? WrappingAlgorithm { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}

internal sealed class ImportKeyMaterialWireRequest
{
    [JsonPropertyName("key_id")]
    public required string KeyId { get; init; }

    [JsonPropertyName("import_token")]
    public required string ImportToken { get; init; }

    [JsonPropertyName("encrypted_key_material")]
    public required string EncryptedKeyMaterial { get; init; }

    [JsonPropertyName("encrypted_privatekey")]
    public string? EncryptedPrivateKey { get; init; }

    /// <summary>Unix epoch seconds; absent for material that never expires.</summary>
    [JsonPropertyName("expiration_time")]
    public long? ExpirationTime { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}

/// <summary>The body of delete-imported-key-material and describe-key.</summary>
internal sealed class KeyIdWireRequest
{
    [JsonPropertyName("key_id")]
    public required string KeyId { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}

internal sealed class CreateKeyWireResponse
{
    [JsonPropertyName("key_info")]
    public CreatedKeyWireInfo? KeyInfo { get; init; }
}

internal sealed class CreatedKeyWireInfo
{
    [JsonPropertyName("key_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyId { get; init; }

    [JsonPropertyName("domain_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? DomainId { get; init; }
}

internal sealed class GetParametersForImportWireResponse
{
    [JsonPropertyName("key_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyId { get; init; }

    [JsonPropertyName("public_key")]
    public string? PublicKey { get; init; }

    [JsonPropertyName("import_token")]
    public string? ImportToken { get; init; }

    /// <summary>Epoch seconds, as a number or (in one reference) a string.</summary>
    [JsonPropertyName("expiration_time")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExpirationTime { get; init; }
}

internal sealed class DescribeKeyWireResponse
{
    [JsonPropertyName("key_info")]
    public KeyInfoWire? KeyInfo { get; init; }
}

/// <summary>describe-key's <c>key_info</c>: strings on the wire, read leniently (numbers and booleans become strings).</summary>
internal sealed class KeyInfoWire
{
    [JsonPropertyName("key_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyId { get; init; }

    [JsonPropertyName("domain_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? DomainId { get; init; }

    [JsonPropertyName("key_alias")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyAlias { get; init; }

    [JsonPropertyName("realm")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Realm { get; init; }

    [JsonPropertyName("key_spec")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeySpec { get; init; }

    [JsonPropertyName("key_usage")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyUsage { get; init; }

    [JsonPropertyName("key_description")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyDescription { get; init; }

    [JsonPropertyName("creation_date")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreationDate { get; init; }

    [JsonPropertyName("scheduled_deletion_date")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ScheduledDeletionDate { get; init; }

    [JsonPropertyName("key_state")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyState { get; init; }

    [JsonPropertyName("default_key_flag")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? DefaultKeyFlag { get; init; }

    [JsonPropertyName("key_type")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyType { get; init; }

    [JsonPropertyName("expiration_time")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExpirationTime { get; init; }

    [JsonPropertyName("origin")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Origin { get; init; }

    [JsonPropertyName("key_rotation_enabled")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyRotationEnabled { get; init; }

    [JsonPropertyName("sys_enterprise_project_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? SysEnterpriseProjectId { get; init; }

    [JsonPropertyName("keystore_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeystoreId { get; init; }
}

/// <summary>The KMS error shape <c>{"error":{"error_code","error_msg"}}</c> and the gateway shape <c>{"error_code","error_msg","request_id"}</c>.</summary>
internal sealed class ErrorWireResponse
{
    [JsonPropertyName("error")]
    public ErrorWireDetail? Error { get; init; }

    [JsonPropertyName("error_code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("error_msg")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorMessage { get; init; }

    [JsonPropertyName("request_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; init; }
}

internal sealed class ErrorWireDetail
{
    [JsonPropertyName("error_code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("error_msg")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorMessage { get; init; }
}
