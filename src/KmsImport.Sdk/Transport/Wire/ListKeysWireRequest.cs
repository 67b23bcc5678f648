using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The body of list-keys (kms-api-addendum.md section 1), exactly as it travels.</summary>
internal sealed class ListKeysWireRequest
{
    /// <summary>A string on the wire, e.g. <c>"100"</c>.</summary>
    [JsonPropertyName("limit")]
    public string? Limit { get; init; }

    [JsonPropertyName("marker")]
    public string? Marker { get; init; }

    [JsonPropertyName("key_state")]
    public string? KeyState { get; init; }

    [JsonPropertyName("key_spec")]
    public string? KeySpec { get; init; }

    [JsonPropertyName("enterprise_project_id")]
    public string? EnterpriseProjectId { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}
