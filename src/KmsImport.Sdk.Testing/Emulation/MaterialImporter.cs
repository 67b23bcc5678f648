using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// import-key-material on one key: redeems the token, unwraps the material (RSA-OAEP or SM2, then
/// RFC 5649 for private keys), checks it against the key spec and the fingerprint of deleted
/// material, and installs it. Every refusal is one of <see cref="EmulatorErrorCodes"/>.
/// </summary>
internal sealed class MaterialImporter(ImportParametersIssuer issuer, TimeProvider timeProvider)
{
    private const string Operation = KmsOperations.ImportKeyMaterial;

    /// <summary>Imports into <paramref name="key"/>; called under the key's lock, after expiry and freezing are judged.</summary>
    public void Import(EmulatedKey key, ImportKeyMaterialRequest request, string requestId)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (key.Origin != KeyOrigin.External)
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.ExternalKeyRequired, "the key's origin is not 'external'; only external keys accept imported material", requestId, Operation);
        }

        switch (issuer.Redeem(request.ImportToken, key.KeyId, out string? tokenId, out IssuedImportParameters? issued))
        {
            case ImportTokenCheck.Invalid:
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.ImportTokenInvalid, "the import token failed verification; fetch new import parameters", requestId, Operation);
            case ImportTokenCheck.KeyMismatch:
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.ImportTokenKeyMismatch, "the import token was issued for another key", requestId, Operation);
            case ImportTokenCheck.Expired:
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.ImportTokenExpired, "the import token has expired; fetch new import parameters and wrap again", requestId, Operation);
        }

        if (tokenId is null || issued is null)
        {
            throw new InvalidOperationException("A valid import token has parameters.");
        }

        if (key.State != KeyState.PendingImport)
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.KeyNotPendingImport, $"the key is in state {key.State.DisplayName}, not pending import", requestId, Operation);
        }

        if (request.MaterialExpiresOn is { } expiresOn)
        {
            if (key.KeySpec.IsAsymmetric)
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.ExpirationTimeInvalid, "asymmetric material is permanent; omit expiration_time", requestId, Operation);
            }

            if (expiresOn.ToUnixTimeSeconds() <= now.ToUnixTimeSeconds())
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.ExpirationTimeInvalid, "expiration_time must be in the future", requestId, Operation);
            }
        }

        if (key.KeySpec.IsAsymmetric && string.IsNullOrEmpty(request.EncryptedPrivateKey))
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.PrivateKeyMissing, "an asymmetric key needs encrypted_privatekey", requestId, Operation);
        }

        byte[]? decrypted = null;
        byte[]? material = null;
        try
        {
            if (!TryFromBase64(request.EncryptedKeyMaterial, out byte[]? ciphertext)
                || !TryDecryptMaterial(issued, ciphertext, out decrypted))
            {
                throw EmulatorErrors.DecryptionFailed(issued.Algorithm, requestId);
            }

            if (key.KeySpec.IsAsymmetric)
            {
                if (!EmulatorRules.IsTemporaryKeyLength(decrypted!.Length))
                {
                    throw EmulatorErrors.Create(400, EmulatorErrorCodes.TemporaryKeyLengthInvalid, $"the temporary key must be 16 or 32 bytes; got {decrypted.Length}", requestId, Operation);
                }

                if (!TryFromBase64(request.EncryptedPrivateKey, out byte[]? wrappedPrivateKey)
                    || !TryUnwrapPrivateKeyMaterial(issued, key.KeySpec, decrypted, wrappedPrivateKey, out material))
                {
                    throw EmulatorErrors.Create(400, EmulatorErrorCodes.PrivateKeyInvalid, $"encrypted_privatekey is not an RFC 5649-wrapped unencrypted PKCS#8 {key.KeySpec} private key under the temporary key", requestId, Operation);
                }
            }
            else
            {
                if (decrypted!.Length != key.KeySpec.SymmetricMaterialLength)
                {
                    throw EmulatorErrors.Create(400, EmulatorErrorCodes.MaterialLengthInvalid, $"{key.KeySpec} material must be {key.KeySpec.SymmetricMaterialLength} bytes; got {decrypted.Length}", requestId, Operation);
                }

                material = decrypted;
                decrypted = null;
            }

            string fingerprint = Convert.ToHexStringLower(SHA256.HashData(material!));
            if (key.Fingerprint is not null && !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(fingerprint), Convert.FromHexString(key.Fingerprint)))
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.MaterialMismatch, "this key's material was deleted; only the same material can be imported again", requestId, Operation);
            }

            // Success: the token is consumed only now.
            issuer.Release(tokenId);
            key.ClearMaterial();
            key.Material = material;
            material = null;
            key.Fingerprint = fingerprint;
            key.MaterialExpiresOn = request.MaterialExpiresOn is { } at ? DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()) : null;
            key.State = KeyState.Enabled;
            key.ImportCount++;
        }
        finally
        {
            ZeroIfNotNull(decrypted);
            ZeroIfNotNull(material);
        }
    }

    private static bool TryDecryptMaterial(IssuedImportParameters issued, byte[] ciphertext, out byte[]? plaintext) =>
        issued.Sm2PrivateKey is { } sm2
            ? SmMaterialUnwrapper.TryDecrypt(sm2, ciphertext, out plaintext)
            : ImportedMaterialUnwrapper.TryDecrypt(issued.PrivateKey!, ciphertext, issued.Algorithm, out plaintext);

    // Under SM2_ENCRYPT the temporary key is SM4 and the wrap RFC 5649 over SM4; SM2 keys are checked by SmMaterialUnwrapper.
    private static bool TryUnwrapPrivateKeyMaterial(IssuedImportParameters issued, KeySpec keySpec, byte[] temporaryKey, byte[] wrapped, out byte[]? material)
    {
        bool unwrapped = issued.Sm2PrivateKey is not null
            ? SmMaterialUnwrapper.TryUnwrapPrivateKey(temporaryKey, wrapped, out material)
            : ImportedMaterialUnwrapper.TryUnwrapPrivateKey(temporaryKey, wrapped, out material);
        return unwrapped && (keySpec == KeySpec.Sm2
            ? SmMaterialUnwrapper.IsSm2PrivateKey(material!)
            : ImportedMaterialUnwrapper.IsPrivateKeyFor(material, keySpec));
    }

    private static bool TryFromBase64(string? text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (string.IsNullOrEmpty(text) || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out int written))
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }

    private static void ZeroIfNotNull(byte[]? buffer)
    {
        if (buffer is not null)
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
