using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

// list-keys and get-publickey bodies (kms-api-addendum.md sections 1 and 2), exactly as they travel.

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

internal sealed class ListKeysWireResponse
{
    [JsonPropertyName("keys")]
    public List<string?>? Keys { get; init; }

    [JsonPropertyName("key_details")]
    public List<KeyInfoWire?>? KeyDetails { get; init; }

    [JsonPropertyName("next_marker")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? NextMarker { get; init; }

    /// <summary><c>"true"</c>/<c>"false"</c> on the wire (a string); a boolean is read too.</summary>
    [JsonPropertyName("truncated")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Truncated { get; init; }

    [JsonPropertyName("total")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Total { get; init; }
}

internal sealed class GetPublicKeyWireResponse
{
    [JsonPropertyName("key_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyId { get; init; }

    [JsonPropertyName("public_key")]
    public string? PublicKey { get; init; }
}
