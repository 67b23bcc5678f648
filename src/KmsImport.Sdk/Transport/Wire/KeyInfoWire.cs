using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

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
