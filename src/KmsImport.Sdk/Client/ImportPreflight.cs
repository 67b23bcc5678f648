using KmsImport.Sdk.Contract;
using KmsImport.Sdk.Cryptography;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk;

/// <summary>
/// The checks an import passes before anything is sent: the material against the target's
/// capabilities and the wrapping algorithm, the expiry, and (with describe-key) the key itself.
/// </summary>
internal sealed class ImportPreflight(KmsCapabilities capabilities, bool allowLegacyWrappingAlgorithms, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Refuses an expiry the service would refuse: one whose whole seconds, as sent, are not in the future.</summary>
    /// <exception cref="KeyImportValidationException">The expiry is not in the future.</exception>
    public DateTimeOffset CheckExpiry(DateTimeOffset requested, string hint)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();

        // The service takes whole epoch seconds; check and report the value actually sent.
        DateTimeOffset sent = KmsContract.ToServiceExpiry(requested);
        if (sent <= now)
        {
            throw new KeyImportValidationException(
                $"The material expiry {requested:O} is not in the future (now {now:O}); the service would refuse it ({KmsErrorCodes.ExpirationTimeInvalid}). {hint}");
        }

        return sent;
    }

    // Every check that needs no request: the spec is importable, the algorithm is supported, the
    // expiry fits the material and lies in the future. Resolves the expiry once, so that every
    // attempt sends the same value.
    public ImportPlan Prepare(string keyId, KeyMaterial material, ImportKeyMaterialOptions options)
    {
        KeySpec spec = material.KeySpec;
        ImportRules.ThrowIfNotImportable(spec);

        WrappingAlgorithm algorithm = options.WrappingAlgorithm;
        if (!algorithm.IsSupported)
        {
            throw new KeyImportValidationException(DescribeUnsupportedAlgorithm(algorithm));
        }

        CheckCapabilities(material, algorithm);

        DateTimeOffset? expiresOn = null;
        if (!options.Expiry.IsNever)
        {
            if (material.IsPrivateKey || !spec.IsSymmetric)
            {
                throw new KeyImportValidationException(
                    $"{spec} material cannot expire: the service keeps imported private keys permanently. Use MaterialExpiry.Never (the default) for asymmetric keys.");
            }

            DateTimeOffset requested = options.Expiry.ResolveExpiresOn(timeProvider)!.Value;
            expiresOn = CheckExpiry(requested, "Choose a later time, MaterialExpiry.After(duration), or MaterialExpiry.Never.");
        }

        // Our public key, for the confirmation, while the material is surely still ours to read.
        byte[]? publicKey = material.IsPrivateKey ? PublicKeyEncoding.SubjectPublicKeyInfoOf(material) : null;
        return new ImportPlan(keyId, material, algorithm, expiresOn, material.ComputeFingerprint(), publicKey);
    }

    private static string DescribeUnsupportedAlgorithm(WrappingAlgorithm algorithm)
    {
        if (algorithm == default(WrappingAlgorithm))
        {
            return "The wrapping algorithm is not set. Use RSAES_OAEP_SHA_256 (the default), or SM2_ENCRYPT for SM4 and SM2 material.";
        }

        try
        {
            // The algorithm type explains why it refuses a known value (e.g. PKCS#1 v1.5's padding oracle).
            _ = algorithm.Padding;
        }
        catch (NotSupportedException ex)
        {
            return ex.Message;
        }

        return $"The wrapping algorithm '{algorithm}' is not supported by this SDK. Use RSAES_OAEP_SHA_256 (the default), or SM2_ENCRYPT for SM4 and SM2 material.";
    }

    // Pre-flight checks that need describe-key, in the order the service would refuse the import.
    public static void CheckKeyAcceptsImport(KeyDetails details, KeyMaterial material)
    {
        string keyId = details.KeyId;
        if (details.KeyState == KeyState.Frozen)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} is Frozen (key_state 7): the KMS service is frozen for this account, usually for arrears or an expired subscription, and refuses imports ({KmsErrorCodes.ResourceFrozen}). Renew the service in the console, then import again.");
        }

        if (details.KeystoreId is { Length: > 0 } keystore && keystore != "0")
        {
            throw new KeyImportValidationException(
                $"Key {keyId} lives in the custom keystore '{keystore}': keys in a custom keystore cannot take imported material ({KmsErrorCodes.CustomKeystoreNoImport}). Create a key in the default keystore (leave CreateKeyRequest.KeystoreId null) and import into that one.");
        }

        if (details.Origin is { } origin && origin != KeyOrigin.External)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} has origin '{origin}': only keys created with origin 'external' accept imported material (the service would answer {KmsErrorCodes.ExternalKeyRequired}). Create a key with CreateKeyRequest.Origin = KeyOrigin.External and import into that one.");
        }

        KeyState state = details.KeyState;
        if (state == KeyState.Enabled)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} is Enabled: it already has key material, so nothing was imported. Import into a key that is PendingImport; for a symmetric key you may delete its imported material first and re-import the same material.");
        }

        if (state != KeyState.PendingImport)
        {
            string hint = state == KeyState.Disabled ? " A disabled key already has material; enable it instead."
                : state == KeyState.PendingDeletion ? " The key is scheduled for deletion; cancel the deletion first if you still need it."
                : string.Empty;
            throw new KeyImportValidationException(
                $"Key {keyId} is {state.DisplayName} (key_state {state}): material can only be imported into a key that is PendingImport (key_state 5).{hint}");
        }

        if (details.KeySpec is { } keySpec && keySpec != material.KeySpec)
        {
            throw new KeyImportValidationException(
                $"The material is for {material.KeySpec} but key {keyId} is {keySpec}. Load material that matches the key's spec, or create a key with KeySpec = {material.KeySpec}.");
        }
    }

    // The checks of the target's capabilities and the wrapping algorithm's fit with the material, before any request.
    private void CheckCapabilities(KeyMaterial material, WrappingAlgorithm algorithm)
    {
        KeySpec spec = material.KeySpec;
        if (capabilities.ExplainKeySpec(spec) is { } specRefusal)
        {
            throw new KeyImportValidationException(specRefusal);
        }

        if (capabilities.ExplainAlgorithm(algorithm) is { } algorithmRefusal)
        {
            throw new KeyImportValidationException(algorithmRefusal);
        }

        if (spec.IsSm && !algorithm.IsSm2)
        {
            throw new KeyImportValidationException(
                $"{spec} material is imported with the wrapping algorithm SM2_ENCRYPT (Huawei's Chinese console guide), not {algorithm}. Set ImportKeyMaterialOptions.WrappingAlgorithm to WrappingAlgorithm.Sm2Encrypt.");
        }

        if (!spec.IsSm && algorithm.IsSm2)
        {
            throw new KeyImportValidationException(
                $"SM2_ENCRYPT wraps SM4 and SM2 material only; {spec} material is wrapped with RSAES_OAEP_SHA_256. Leave ImportKeyMaterialOptions.WrappingAlgorithm at its default.");
        }

        if (algorithm.IsLegacy)
        {
            if (!allowLegacyWrappingAlgorithms)
            {
                throw new KeyImportValidationException(
                    $"{algorithm} is a legacy wrapping algorithm and is refused unless explicitly allowed: set KeyImportClientOptions.AllowLegacyWrappingAlgorithms (CLI: --allow-legacy), or better use RSAES_OAEP_SHA_256, which every region supports.");
            }

            if (algorithm == WrappingAlgorithm.RsaesPkcs1V15 && material.IsPrivateKey)
            {
                throw new KeyImportValidationException(
                    $"A {spec} private key is never wrapped with RSAES_PKCS1_V1_5 (its temporary key would be exposed to padding-oracle attacks), even with legacy algorithms allowed. Use RSAES_OAEP_SHA_256.");
            }

            ClientLog.LegacyWrappingAlgorithm(logger, algorithm, spec);
        }
    }

}
