using System.Buffers;
using System.Globalization;
using System.Text.Json;
using KmsImport.Sdk.Testing.Emulation;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// The server side of the REST contract's JSON, written from the API description and independent
/// of the HTTPS transport's serializer: request bodies to requests (strict types, unknown fields
/// ignored), results to response bodies, and both error shapes.
/// </summary>
internal static class KmsWireFormat
{
    public static CreateKeyRequest ReadCreateKey(JsonElement body, string requestId)
    {
        string? alias = GetString(body, "key_alias", requestId);
        return new CreateKeyRequest(alias!)
        {
            KeySpec = GetNonEmpty(body, "key_spec", requestId) is { } spec ? new KeySpec(spec) : KeySpec.Aes256,
            KeyUsage = GetNonEmpty(body, "key_usage", requestId) is { } usage ? new KeyUsage(usage) : (KeyUsage?)null,
            KeyDescription = GetString(body, "key_description", requestId),
            Origin = GetNonEmpty(body, "origin", requestId) is { } origin ? new KeyOrigin(origin) : KeyOrigin.Kms,
            EnterpriseProjectId = GetString(body, "enterprise_project_id", requestId),
            KeystoreId = GetString(body, "keystore_id", requestId),
            Sequence = GetString(body, "sequence", requestId),
        };
    }

    // Every field a string, as the contract says; limit and marker hold digits.
    public static ListKeysRequest ReadListKeys(JsonElement body, string requestId)
    {
        string? limit = GetNonEmpty(body, "limit", requestId);
        int? parsedLimit = null;
        if (limit is not null)
        {
            parsedLimit = int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new KmsRequestFailedException(400, EmulatorErrorCodes.InvalidLimit, "limit must be a number", requestId);
        }

        return new ListKeysRequest
        {
            Limit = parsedLimit,
            Marker = GetNonEmpty(body, "marker", requestId),
            KeyState = GetNonEmpty(body, "key_state", requestId) is { } state ? new KeyState(state) : (KeyState?)null,

            // Absent: the service's default (AES_256 only), which LocalKms applies to an empty filter.
            KeySpec = GetNonEmpty(body, "key_spec", requestId) ?? string.Empty,
            EnterpriseProjectId = GetNonEmpty(body, "enterprise_project_id", requestId),
            Sequence = GetString(body, "sequence", requestId),
        };
    }

    public static GetPublicKeyRequest ReadGetPublicKey(JsonElement body, string requestId) =>
        new(GetString(body, "key_id", requestId)!) { Sequence = GetString(body, "sequence", requestId) };

    public static byte[] WriteListKeys(ListKeysPage page) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("keys");
        foreach (KeyDetails key in page.Keys)
        {
            writer.WriteStringValue(key.KeyId);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("key_details");
        foreach (KeyDetails key in page.Keys)
        {
            writer.WriteStartObject();
            WriteKeyInfoFields(writer, key);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("next_marker", page.NextMarker ?? string.Empty);
        writer.WriteString("truncated", page.Truncated ? "true" : "false");
        writer.WriteNumber("total", page.Total ?? page.Keys.Count);
        writer.WriteEndObject();
    });

    public static byte[] WritePublicKey(string keyId, string pem) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("key_id", keyId);
        writer.WriteString("public_key", pem);
        writer.WriteEndObject();
    });

    public static GetParametersForImportRequest ReadGetParametersForImport(JsonElement body, string requestId) =>
        new(GetString(body, "key_id", requestId)!)
        {
            WrappingAlgorithm = GetNonEmpty(body, "wrapping_algorithm", requestId) is { } algorithm ? new WrappingAlgorithm(algorithm) : WrappingAlgorithm.RsaesOaepSha256,
            Sequence = GetString(body, "sequence", requestId),
        };

    public static ImportKeyMaterialRequest ReadImportKeyMaterial(JsonElement body, string requestId) =>
        new(GetString(body, "key_id", requestId)!, GetString(body, "import_token", requestId)!, GetString(body, "encrypted_key_material", requestId)!)
        {
            EncryptedPrivateKey = GetString(body, "encrypted_privatekey", requestId),
            MaterialExpiresOn = GetEpochSeconds(body, "expiration_time", requestId),
            Sequence = GetString(body, "sequence", requestId),
        };

    public static DeleteImportedKeyMaterialRequest ReadDeleteImportedKeyMaterial(JsonElement body, string requestId) =>
        new(GetString(body, "key_id", requestId)!) { Sequence = GetString(body, "sequence", requestId) };

    public static DescribeKeyRequest ReadDescribeKey(JsonElement body, string requestId) =>
        new(GetString(body, "key_id", requestId)!) { Sequence = GetString(body, "sequence", requestId) };

    public static byte[] WriteCreateKey(CreateKeyResult result) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("key_info");
        writer.WriteString("key_id", result.KeyId);
        writer.WriteString("domain_id", result.DomainId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static byte[] WriteImportParameters(ImportParameters parameters) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("key_id", parameters.KeyId);
        writer.WriteString("public_key", Convert.ToBase64String(parameters.WrappingKey.SubjectPublicKeyInfo.Span));
        writer.WriteString("import_token", parameters.ImportToken);
        writer.WriteNumber("expiration_time", parameters.ExpiresOn.ToUnixTimeSeconds());
        writer.WriteEndObject();
    });

    public static byte[] WriteEmptyObject() => "{}"u8.ToArray();

    // Every value a string, as the service does; dates as 13-digit millisecond strings (the
    // reference's example), absent values as empty strings.
    public static byte[] WriteKeyDetails(KeyDetails details) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("key_info");
        WriteKeyInfoFields(writer, details);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private static void WriteKeyInfoFields(Utf8JsonWriter writer, KeyDetails details)
    {
        writer.WriteString("key_id", details.KeyId);
        writer.WriteString("domain_id", details.DomainId ?? string.Empty);
        writer.WriteString("key_alias", details.KeyAlias ?? string.Empty);
        writer.WriteString("realm", details.Realm ?? string.Empty);
        writer.WriteString("key_spec", details.KeySpec?.ToString() ?? string.Empty);
        writer.WriteString("key_usage", details.KeyUsage?.ToString() ?? string.Empty);
        writer.WriteString("key_description", details.KeyDescription ?? string.Empty);
        writer.WriteString("creation_date", Milliseconds(details.CreationDate));
        writer.WriteString("scheduled_deletion_date", Milliseconds(details.ScheduledDeletionDate));
        writer.WriteString("key_state", details.KeyState.ToString());
        writer.WriteString("default_key_flag", details.DefaultKeyFlag == true ? "1" : "0");
        writer.WriteString("key_type", details.KeyType ?? string.Empty);
        writer.WriteString("expiration_time", Milliseconds(details.MaterialExpiresOn));
        writer.WriteString("origin", details.Origin?.ToString() ?? string.Empty);
        writer.WriteString("key_rotation_enabled", details.KeyRotationEnabled == true ? "true" : "false");
        writer.WriteString("sys_enterprise_project_id", details.EnterpriseProjectId ?? string.Empty);
        writer.WriteString("keystore_id", details.KeystoreId ?? string.Empty);
    }

    /// <summary>The KMS error shape: <c>{"error":{"error_code","error_msg"}}</c>.</summary>
    public static byte[] WriteKmsError(string code, string message) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("error_code", code);
        writer.WriteString("error_msg", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>The gateway error shape: <c>{"error_code","error_msg","request_id"}</c>.</summary>
    public static byte[] WriteGatewayError(string code, string message, string requestId) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error_code", code);
        writer.WriteString("error_msg", message);
        writer.WriteString("request_id", requestId);
        writer.WriteEndObject();
    });

    private static string Milliseconds(DateTimeOffset? time) =>
        time is { } t ? t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : string.Empty;

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string? GetString(JsonElement body, string name, string requestId)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw InvalidParameter($"{name} must be a string", requestId);
    }

    private static string? GetNonEmpty(JsonElement body, string name, string requestId) =>
        GetString(body, name, requestId) is { Length: > 0 } value ? value : null;

    // Epoch seconds, as a number or (one reference types it so) a string of digits.
    private static DateTimeOffset? GetEpochSeconds(JsonElement body, string name, string requestId)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        long seconds;
        bool parsed = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out seconds),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds),
            _ => (seconds = 0) != 0,
        };
        if (!parsed || seconds < 0 || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw InvalidParameter($"{name} must be Unix epoch seconds", requestId);
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public static KmsRequestFailedException InvalidParameter(string message, string requestId) =>
        new(400, EmulatorErrorCodes.InvalidParameter, message, requestId);
}
