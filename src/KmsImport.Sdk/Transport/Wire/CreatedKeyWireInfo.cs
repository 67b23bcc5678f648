using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>create-key's <c>key_info</c>.</summary>
internal sealed class CreatedKeyWireInfo
{
    [JsonPropertyName("key_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyId { get; init; }

    [JsonPropertyName("domain_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? DomainId { get; init; }
}
