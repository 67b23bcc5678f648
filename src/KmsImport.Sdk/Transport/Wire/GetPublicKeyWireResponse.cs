using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The answer of get-publickey (kms-api-addendum.md section 2).</summary>
internal sealed class GetPublicKeyWireResponse
{
    [JsonPropertyName("key_id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeyId { get; init; }

    [JsonPropertyName("public_key")]
    public string? PublicKey { get; init; }
}
