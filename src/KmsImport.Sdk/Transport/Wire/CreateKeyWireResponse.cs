using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The answer of create-key (kms-api.md).</summary>
internal sealed class CreateKeyWireResponse
{
    [JsonPropertyName("key_info")]
    public CreatedKeyWireInfo? KeyInfo { get; init; }
}
