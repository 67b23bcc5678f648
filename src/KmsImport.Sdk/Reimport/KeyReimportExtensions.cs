using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>Re-import of symmetric material whose copy in KMS expired or was deleted, or whose expiry should change, with proof that it is the same material.</summary>
public static class KeyReimportExtensions
{
    /// <summary>
    /// Re-imports symmetric material. The fingerprint is checked first, locally: the service accepts
    /// only the material the key held before (<c>KMS.2606</c>). A key pending import is imported
    /// into; an Enabled key only with <see cref="ReimportOptions.ExtendExpiry"/>, which deletes its
    /// material and imports the same material with the new expiry.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="keyId">The key.</param>
    /// <param name="material">The symmetric material; the caller keeps ownership.</param>
    /// <param name="options">Expected fingerprint, expiry, extension; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The import result.</returns>
    /// <exception cref="ArgumentException">The key id or the expected fingerprint is malformed; nothing was sent.</exception>
    /// <exception cref="KeyImportValidationException">
    /// The material is not symmetric, its fingerprint is not the expected one, <see cref="ReimportOptions.ExtendExpiry"/>
    /// lacks an expected fingerprint, or the key is Enabled without <see cref="ReimportOptions.ExtendExpiry"/>; nothing was changed.
    /// </exception>
    /// <exception cref="ReimportIncompleteException">The material was deleted but the import failed: the key is pending import; re-import into it.</exception>
    /// <exception cref="KmsRequestFailedException">The service refused a request before anything was deleted.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<KeyImportResult> ReimportAsync(this IKeyImportClient client, string keyId, KeyMaterial material, ReimportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(material);
        options ??= new ReimportOptions();
        if (material.IsPrivateKey)
        {
            throw new KeyImportValidationException($"Re-import is for symmetric material; {material.KeySpec} is a private key. An imported private key never expires and its material cannot be deleted.");
        }

        string fingerprint = material.ComputeFingerprint();
        if (options.ExpectedFingerprint is { } expectedText)
        {
            string expected = NormalizeFingerprint(expectedText);
            if (!string.Equals(expected, fingerprint, StringComparison.Ordinal))
            {
                throw new KeyImportValidationException(
                    $"The material's fingerprint is sha256:{fingerprint}, not the expected sha256:{expected}; nothing was sent. Key {keyId} accepts only the material it held before (the service would answer {KmsErrorCodes.MaterialMismatch}): find the file with the expected fingerprint.");
            }
        }
        else if (options.ExtendExpiry)
        {
            throw new KeyImportValidationException(
                $"Extending the expiry deletes the key's material before importing it again, so the material must be proven the same first: give the expected fingerprint (sha256:{fingerprint} is this file's; use the one printed or journalled when the key was first imported). Nothing was sent.");
        }

        var importOptions = new ImportKeyMaterialOptions { Expiry = options.Expiry, WrappingAlgorithm = options.WrappingAlgorithm };
        KeyDetails details = await client.DescribeKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (details.KeyState != KeyState.Enabled)
        {
            return await client.ImportKeyMaterialAsync(keyId, material, importOptions, cancellationToken).ConfigureAwait(false);
        }

        if (!options.ExtendExpiry)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} is Enabled: it holds material{(details.MaterialExpiresOn is { } on ? $" until {on:O}" : string.Empty)}. To change when it expires, extend the expiry (the material is deleted and the same material imported again with the new expiry). Nothing was changed.");
        }

        if (details.Origin is { } origin && origin != KeyOrigin.External)
        {
            throw new KeyImportValidationException($"Key {keyId} has origin '{origin}': its material was not imported and cannot be deleted. Nothing was changed.");
        }

        await client.DeleteImportedKeyMaterialAsync(keyId, cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.ImportKeyMaterialAsync(keyId, material, importOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ReimportIncompleteException(keyId, fingerprint, ex);
        }
    }

    /// <summary>A fingerprint as <c>sha256:HEX</c> or bare hex, in lower-case hex.</summary>
    /// <exception cref="ArgumentException">Not 64 hex characters.</exception>
    internal static string NormalizeFingerprint(string text)
    {
        string hex = text.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex["sha256:".Length..];
        }

        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"The expected fingerprint must be sha256: followed by 64 hex characters (SHA-256 of the material); got {hex.Length} characters.", nameof(text));
        }

        return hex.ToLowerInvariant();
    }
}
