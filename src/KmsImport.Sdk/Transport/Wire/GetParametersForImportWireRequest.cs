using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The body of get-parameters-for-import (kms-api.md), exactly as it travels.</summary>
internal sealed class GetParametersForImportWireRequest
{
    [JsonPropertyName("key_id")]
    public required string KeyId { get; init; }

    [JsonPropertyName("wrapping_algorithm")]
    public string? WrappingAlgorithm { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}
