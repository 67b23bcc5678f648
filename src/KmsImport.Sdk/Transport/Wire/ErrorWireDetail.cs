using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The inner <c>error</c> object of the KMS error shape (see <see cref="ErrorWireResponse"/>).</summary>
internal sealed class ErrorWireDetail
{
    [JsonPropertyName("error_code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("error_msg")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorMessage { get; init; }
}
