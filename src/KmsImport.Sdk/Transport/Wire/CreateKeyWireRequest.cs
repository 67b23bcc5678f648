using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The body of create-key (kms-api.md), exactly as it travels.</summary>
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
