using System.Globalization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>Maps list-keys and get-publickey to and from their wire bodies.</summary>
internal static class KmsKeyWireMapper
{
    public static ListKeysWireRequest ToWire(ListKeysRequest request) => new()
    {
        Limit = request.Limit?.ToString(CultureInfo.InvariantCulture),
        Marker = string.IsNullOrEmpty(request.Marker) ? null : request.Marker,
        KeyState = request.KeyState is { } state && state != default ? state.ToString() : null,
        KeySpec = string.IsNullOrEmpty(request.KeySpec) ? ListKeysRequest.AllKeySpecs : request.KeySpec,
        EnterpriseProjectId = request.EnterpriseProjectId,
        Sequence = request.Sequence,
    };

    public static KeyIdWireRequest ToWire(GetPublicKeyRequest request) => new() { KeyId = request.KeyId, Sequence = request.Sequence };

    /// <summary>A page of list-keys; null with <paramref name="problem"/> when it cannot be used.</summary>
    public static ListKeysPage? FromWire(ListKeysWireResponse response, out string? problem)
    {
        var keys = new List<KeyDetails>(response.KeyDetails?.Count ?? 0);
        foreach (KeyInfoWire? info in response.KeyDetails ?? [])
        {
            if (info is null || string.IsNullOrEmpty(info.KeyId) || string.IsNullOrEmpty(info.KeyState))
            {
                problem = "an entry of key_details has no key_id or key_state";
                return null;
            }

            keys.Add(KmsWireMapper.ToKeyDetails(info, info.KeyId));
        }

        bool truncated = string.Equals(response.Truncated?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        string? nextMarker = string.IsNullOrWhiteSpace(response.NextMarker) ? null : response.NextMarker.Trim();
        if (truncated && nextMarker is null)
        {
            problem = "truncated is \"true\" but next_marker is empty";
            return null;
        }

        int? total = int.TryParse(response.Total, NumberStyles.None, CultureInfo.InvariantCulture, out int count) ? count : null;
        problem = null;
        return KmsImportModelFactory.ListKeysPage(keys, truncated ? nextMarker : null, truncated, total);
    }

    /// <summary>get-publickey's result; null with <paramref name="problem"/> when it cannot be used.</summary>
    public static KmsPublicKey? FromWire(GetPublicKeyWireResponse response, GetPublicKeyRequest request, out string? problem, out Exception? cause)
    {
        cause = null;
        if (string.IsNullOrEmpty(response.PublicKey))
        {
            problem = "public_key is missing";
            return null;
        }

        try
        {
            problem = null;
            return KmsPublicKey.FromPem(string.IsNullOrEmpty(response.KeyId) ? request.KeyId : response.KeyId, response.PublicKey);
        }
        catch (FormatException ex)
        {
            problem = $"public_key is not a PEM public key: {ex.Message}";
            cause = ex;
            return null;
        }
    }
}
