using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The answer of describe-key (kms-api.md).</summary>
internal sealed class DescribeKeyWireResponse
{
    [JsonPropertyName("key_info")]
    public KeyInfoWire? KeyInfo { get; init; }
}
