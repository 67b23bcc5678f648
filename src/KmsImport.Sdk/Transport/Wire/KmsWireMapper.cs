using System.Globalization;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>Maps the public request and result types to and from the wire bodies.</summary>
internal static class KmsWireMapper
{
    // Epoch values at or above this are milliseconds (13 digits); below, seconds (10 digits until the year 5138).
    private const long MillisecondsThreshold = 100_000_000_000;

    public static CreateKeyWireRequest ToWire(CreateKeyRequest request) => new()
    {
        KeyAlias = request.KeyAlias,
        KeySpec = NullIfEmpty(request.KeySpec.ToString()),
        KeyUsage = request.KeyUsage is { } usage ? NullIfEmpty(usage.ToString()) : null,
        KeyDescription = request.KeyDescription,
        Origin = NullIfEmpty(request.Origin.ToString()),
        EnterpriseProjectId = request.EnterpriseProjectId,
        KeystoreId = request.KeystoreId,
        Sequence = request.Sequence,
    };

    public static GetParametersForImportWireRequest ToWire(GetParametersForImportRequest request) => new()
    {
        KeyId = request.KeyId,
        WrappingAlgorithm = NullIfEmpty(request.WrappingAlgorithm.ToString()),
        Sequence = request.Sequence,
    };

    public static ImportKeyMaterialWireRequest ToWire(ImportKeyMaterialRequest request) => new()
    {
        KeyId = request.KeyId,
        ImportToken = request.ImportToken,
        EncryptedKeyMaterial = request.EncryptedKeyMaterial,
        EncryptedPrivateKey = request.EncryptedPrivateKey,
        ExpirationTime = request.MaterialExpiresOn?.ToUnixTimeSeconds(),
        Sequence = request.Sequence,
    };

    public static KeyIdWireRequest ToWire(DeleteImportedKeyMaterialRequest request) => new() { KeyId = request.KeyId, Sequence = request.Sequence };

    public static KeyIdWireRequest ToWire(DescribeKeyRequest request) => new() { KeyId = request.KeyId, Sequence = request.Sequence };

    /// <summary>create-key's result; null with <paramref name="problem"/> when a required field is missing.</summary>
    public static CreateKeyResult? FromWire(CreateKeyWireResponse response, out string? problem)
    {
        if (string.IsNullOrEmpty(response.KeyInfo?.KeyId))
        {
            problem = "key_info.key_id is missing";
            return null;
        }

        problem = null;
        return KmsImportModelFactory.CreateKeyResult(response.KeyInfo.KeyId, response.KeyInfo.DomainId);
    }

    /// <summary>get-parameters-for-import's result; null with <paramref name="problem"/> when it cannot be used.</summary>
    public static ImportParameters? FromWire(GetParametersForImportWireResponse response, GetParametersForImportRequest request, out string? problem, out Exception? cause)
    {
        cause = null;
        if (string.IsNullOrEmpty(response.PublicKey))
        {
            problem = "public_key is missing";
            return null;
        }

        if (string.IsNullOrEmpty(response.ImportToken))
        {
            problem = "import_token is missing";
            return null;
        }

        if (!TryParseEpoch(response.ExpirationTime, out DateTimeOffset expiresOn))
        {
            problem = response.ExpirationTime is null
                ? "expiration_time is missing"
                : $"expiration_time '{Truncate(response.ExpirationTime)}' is not a Unix time";
            return null;
        }

        WrappingPublicKey wrappingKey;
        try
        {
            wrappingKey = WrappingPublicKey.FromBase64(response.PublicKey);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or KeyImportValidationException or ArgumentException)
        {
            problem = "public_key is not a valid Base64 RSA (or SM2) SubjectPublicKeyInfo wrapping key";
            cause = ex;
            return null;
        }

        problem = null;
        string keyId = string.IsNullOrEmpty(response.KeyId) ? request.KeyId : response.KeyId;
        return new ImportParameters(keyId, request.WrappingAlgorithm, wrappingKey, response.ImportToken, expiresOn);
    }

    /// <summary>describe-key's result; null with <paramref name="problem"/> when a required field is missing.</summary>
    public static KeyDetails? FromWire(DescribeKeyWireResponse response, DescribeKeyRequest request, out string? problem)
    {
        KeyInfoWire? info = response.KeyInfo;
        if (info is null)
        {
            problem = "key_info is missing";
            return null;
        }

        if (string.IsNullOrEmpty(info.KeyState))
        {
            problem = "key_info.key_state is missing";
            return null;
        }

        problem = null;
        return ToKeyDetails(info, request.KeyId);
    }

    /// <summary>One <c>key_info</c> (describe-key) or <c>key_details[]</c> entry (list-keys); the state must be present.</summary>
    public static KeyDetails ToKeyDetails(KeyInfoWire info, string fallbackKeyId)
    {
        return new KeyDetails
        {
            KeyId = info.KeyId ?? fallbackKeyId,
            DomainId = info.DomainId,
            KeyAlias = info.KeyAlias,
            Realm = info.Realm,
            KeySpec = info.KeySpec is { } spec ? new KeySpec(spec) : (KeySpec?)null,
            KeyUsage = info.KeyUsage is { } usage ? new KeyUsage(usage) : (KeyUsage?)null,
            KeyDescription = info.KeyDescription,
            CreationDate = ParseOptionalEpoch(info.CreationDate),
            ScheduledDeletionDate = ParseOptionalEpoch(info.ScheduledDeletionDate),
            KeyState = new KeyState(info.KeyState!),
            DefaultKeyFlag = ParseFlag(info.DefaultKeyFlag),
            KeyType = info.KeyType,
            MaterialExpiresOn = ParseOptionalEpoch(info.ExpirationTime),
            Origin = info.Origin is { } origin ? new KeyOrigin(origin) : (KeyOrigin?)null,
            KeyRotationEnabled = ParseFlag(info.KeyRotationEnabled),
            EnterpriseProjectId = info.SysEnterpriseProjectId,
            KeystoreId = info.KeystoreId,
        };
    }

    /// <summary>
    /// Parses a Unix time in seconds (10 digits) or milliseconds (13 digits), as a number or a
    /// numeric string; false for anything else.
    /// </summary>
    public static bool TryParseEpoch(string? value, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(value)
            || !long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            return false;
        }

        try
        {
            time = number >= MillisecondsThreshold
                ? DateTimeOffset.FromUnixTimeMilliseconds(number)
                : DateTimeOffset.FromUnixTimeSeconds(number);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    // Absent, empty, zero (no date set) or unparseable values are null: describe-key is read defensively.
    private static DateTimeOffset? ParseOptionalEpoch(string? value) =>
        TryParseEpoch(value, out DateTimeOffset time) && time.ToUnixTimeMilliseconds() != 0 ? time : null;

    private static bool? ParseFlag(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "1" or "TRUE" => true,
        "0" or "FALSE" => false,
        _ => null,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "...";
}
