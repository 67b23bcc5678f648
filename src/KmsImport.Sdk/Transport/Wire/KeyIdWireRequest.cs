using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The body of delete-imported-key-material and describe-key.</summary>
internal sealed class KeyIdWireRequest
{
    [JsonPropertyName("key_id")]
    public required string KeyId { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}
