using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The answer of list-keys (kms-api-addendum.md section 1).</summary>
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
