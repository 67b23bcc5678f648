using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The KMS error shape <c>{"error":{"error_code","error_msg"}}</c> and the gateway shape <c>{"error_code","error_msg","request_id"}</c>.</summary>
internal sealed class ErrorWireResponse
{
    [JsonPropertyName("error")]
    public ErrorWireDetail? Error { get; init; }

    [JsonPropertyName("error_code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("error_msg")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorMessage { get; init; }

    [JsonPropertyName("request_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; init; }
}
