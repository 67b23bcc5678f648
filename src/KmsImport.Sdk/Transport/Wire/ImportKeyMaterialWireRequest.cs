using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>The body of import-key-material (kms-api.md), exactly as it travels.</summary>
internal sealed class ImportKeyMaterialWireRequest
{
    [JsonPropertyName("key_id")]
    public required string KeyId { get; init; }

    [JsonPropertyName("import_token")]
    public required string ImportToken { get; init; }

    [JsonPropertyName("encrypted_key_material")]
    public required string EncryptedKeyMaterial { get; init; }

    [JsonPropertyName("encrypted_privatekey")]
    public string? EncryptedPrivateKey { get; init; }

    /// <summary>Unix epoch seconds; absent for material that never expires.</summary>
    [JsonPropertyName("expiration_time")]
    public long? ExpirationTime { get; init; }

    [JsonPropertyName("sequence")]
    public string? Sequence { get; init; }
}
