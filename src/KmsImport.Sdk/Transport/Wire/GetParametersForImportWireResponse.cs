using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The answer of get-parameters-for-import (kms-api.md).</summary>
internal sealed class GetParametersForImportWireResponse
{
    [JsonPropertyName("key_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyId { get; init; }

    [JsonPropertyName("public_key")]
    public string? PublicKey { get; init; }

    [JsonPropertyName("import_token")]
    public string? ImportToken { get; init; }

    /// <summary>Epoch seconds, as a number or (in one reference) a string.</summary>
    [JsonPropertyName("expiration_time")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExpirationTime { get; init; }
}
