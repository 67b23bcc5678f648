using System.Globalization;
using System.Security.Cryptography;
using KmsImport.Sdk.Testing.Emulation;

namespace KmsImport.Sdk.Testing;

// list-keys, get-publickey and the refusal of frozen keys, as kms-api-addendum.md describes the service.
public sealed partial class LocalKms
{
    /// <summary>The id of the default keystore.</summary>
    public const string DefaultKeystoreId = "0";

    /// <summary>The largest page list-keys serves.</summary>
    public const int MaxListKeysLimit = 1000;

    internal ListKeysPage ListKeys(ListKeysRequest request, string requestId)
    {
        const string Operation = KmsOperations.ListKeys;
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateSequence(request.Sequence, requestId, Operation);
        int limit = request.Limit ?? MaxListKeysLimit;
        if (limit is < 1 or > MaxListKeysLimit)
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.InvalidLimit, $"limit must be between 1 and {MaxListKeysLimit}", requestId, Operation);
        }

        int start = 0;
        if (!string.IsNullOrEmpty(request.Marker)
            && !int.TryParse(request.Marker, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.InvalidMarker, "marker must be >= 0", requestId, Operation);
        }

        string? state = request.KeyState is { } s && s != default ? s.ToString() : null;
        if (state is not (null or "1" or "2" or "3" or "4" or "5"))
        {
            throw EmulatorErrors.InvalidParameter("key_state must match ^[1-5]{1}$", requestId, Operation);
        }

        // Without key_spec the service lists AES_256 keys only; "ALL" lists every key.
        string spec = string.IsNullOrEmpty(request.KeySpec) ? KeySpec.Aes256.ToString() : request.KeySpec;
        bool all = string.Equals(spec, ListKeysRequest.AllKeySpecs, StringComparison.Ordinal);

        var matching = new List<KeyDetails>();
        foreach (EmulatedKey key in _keys.Values.OrderBy(static k => k.Ordinal))
        {
            lock (key)
            {
                ExpireMaterialIfDue(key);
                if ((all || string.Equals(key.KeySpec.ToString(), spec, StringComparison.Ordinal))
                    && (state is null || key.State.ToString() == state)
                    && (request.EnterpriseProjectId is null or "all" || request.EnterpriseProjectId == key.EnterpriseProjectId))
                {
                    matching.Add(key.ToDetails(DomainId, _options.Realm));
                }
            }
        }

        KeyDetails[] page = [.. matching.Skip(start).Take(limit)];
        bool truncated = start + page.Length < matching.Count;
        return KmsImportModelFactory.ListKeysPage(page, truncated ? (start + page.Length).ToString(CultureInfo.InvariantCulture) : null, truncated, matching.Count);
    }

    /// <summary>The public key of an asymmetric key as the service sends it: PEM with CRLF line breaks; RSA keys as PKCS#1 under a <c>PUBLIC KEY</c> label, as the published example is, EC keys as SubjectPublicKeyInfo.</summary>
    internal string GetPublicKeyPem(GetPublicKeyRequest request, string requestId)
    {
        const string Operation = KmsOperations.GetPublicKey;
        EmulatedKey key = GetKey(request.KeyId, requestId, Operation);
        ValidateSequence(request.Sequence, requestId, Operation);
        lock (key)
        {
            ExpireMaterialIfDue(key);
            if (!key.KeySpec.IsAsymmetric)
            {
                throw EmulatorErrors.InvalidParameter($"get-publickey supports asymmetric keys only; the key is {key.KeySpec}", requestId, Operation);
            }

            if (key.Material is null)
            {
                throw EmulatorErrors.InvalidParameter($"the key has no key material yet (state {key.State.DisplayName})", requestId, Operation);
            }

            byte[] der;
            if (key.KeySpec.IsRsa)
            {
                using RSA rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(key.Material, out _);
                der = rsa.ExportRSAPublicKey();
            }
            else
            {
                using ECDsa ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(key.Material, out _);
                der = ec.ExportSubjectPublicKeyInfo();
            }

            return PemEncoding.WriteString("PUBLIC KEY", der).ReplaceLineEndings("\r\n") + "\r\n";
        }
    }

    private static void ThrowIfFrozen(EmulatedKey key, string requestId, string operation)
    {
        if (key.State == KeyState.Frozen)
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.ResourceFrozen, "Resource frozen. Renew and try again", requestId, operation);
        }
    }
}
