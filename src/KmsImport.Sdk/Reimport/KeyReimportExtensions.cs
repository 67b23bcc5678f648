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
    /// <exception cref="ReimportIncompleteException">
    /// The material was deleted (or the delete's outcome could not be settled) but the import failed or was cancelled: the key
    /// is pending import; re-import into it. Once the delete was sent, cancellation ends in this exception, not in
    /// <see cref="OperationCanceledException"/>, whenever the key was left pending import.
    /// </exception>
    /// <exception cref="KmsRequestFailedException">The service refused a request before anything was deleted (a failed delete is checked with describe-key: the key is still Enabled).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while the key still held its material.</exception>
    /// <remarks>
    /// Before the delete, the key's spec must equal the material's, the new expiry must lie in the future and the client's
    /// local import checks (spec, the target's capabilities, wrapping algorithm) must pass. SM4 material is wrapped with
    /// SM2_ENCRYPT when <see cref="ReimportOptions.WrappingAlgorithm"/> is left at its default.
    /// </remarks>
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

        // SM4 material is wrapped with SM2_ENCRYPT: the default algorithm stands for "the right one for this material".
        WrappingAlgorithm algorithm = material.KeySpec.IsSm && options.WrappingAlgorithm == WrappingAlgorithm.RsaesOaepSha256
            ? WrappingAlgorithm.Sm2Encrypt
            : options.WrappingAlgorithm;
        var importOptions = new ImportKeyMaterialOptions { Expiry = options.Expiry, WrappingAlgorithm = algorithm };
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

        CheckImportCanSucceed(client, keyId, details, material, importOptions);
        return await DeleteAndImportAsync(client, keyId, material, fingerprint, importOptions, cancellationToken).ConfigureAwait(false);
    }

    // Everything that would make the import after the delete fail, checked before the delete: the key's spec, the expiry,
    // and the client's own local import checks (importable spec, the target's capabilities, wrapping algorithm).
    private static void CheckImportCanSucceed(IKeyImportClient client, string keyId, KeyDetails details, KeyMaterial material, ImportKeyMaterialOptions importOptions)
    {
        if (details.KeySpec is not { } keySpec || keySpec != material.KeySpec)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} is {(details.KeySpec is { } spec ? spec.ToString() : "of an unknown spec")} but the material is {material.KeySpec}: its import would fail after the delete, so nothing was deleted. Give the key's spec (CLI: --spec {(details.KeySpec is { } s ? s.ToString() : "SPEC")}).");
        }

        if (importOptions.Expiry.IsNever)
        {
            throw new KeyImportValidationException(
                $"Extending the expiry of key {keyId} needs a new expiry in the future (ReimportOptions.Expiry; CLI: --extend-expiry WHEN); nothing was deleted.");
        }

        if (client is KeyImportClient own)
        {
            own.CheckImportLocally(material, importOptions);
        }
        else
        {
            ImportRules.ThrowIfNotImportable(material.KeySpec);
            if (importOptions.Expiry.ResolveExpiresOn(TimeProvider.System) is { } expiresOn && expiresOn <= TimeProvider.System.GetUtcNow())
            {
                throw new KeyImportValidationException($"The new expiry {expiresOn:O} is not in the future; nothing was deleted.");
            }
        }
    }

    // Once the delete is sent, every way out that leaves the key pending import is a ReimportIncompleteException, cancellation
    // included (the caller must learn that the key needs its material again). A delete whose outcome is unknown is settled
    // with describe-key: pending import means it happened (the import follows), Enabled means it did not.
    private static async Task<KeyImportResult> DeleteAndImportAsync(IKeyImportClient client, string keyId, KeyMaterial material, string fingerprint, ImportKeyMaterialOptions importOptions, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteImportedKeyMaterialAsync(keyId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not KeyImportValidationException and not ArgumentException)
        {
            KeyState state;
            try
            {
                state = (await client.DescribeKeyAsync(keyId, CancellationToken.None).ConfigureAwait(false)).KeyState;
            }
            catch (Exception describeFailure) when (describeFailure is not OperationCanceledException)
            {
                // Neither outcome is known: the key may be pending import; the finish command is safe either way.
                throw new ReimportIncompleteException(keyId, fingerprint, ex);
            }

            if (state == KeyState.Enabled)
            {
                if (ex is OperationCanceledException cancelled)
                {
                    throw new OperationCanceledException($"The re-import into key {keyId} was cancelled; the key is still Enabled with its material: nothing was deleted.", cancelled, cancelled.CancellationToken);
                }

                if (ex is KmsRequestFailedException failed)
                {
                    throw KmsRequestFailedException.ClientComposed(
                        failed.Status,
                        failed.ErrorCode,
                        $"deleting the material of key {keyId} failed and the key is still Enabled with its material: nothing was deleted and nothing changed; try again. Cause: {failed.Message}",
                        failed.RequestId,
                        "delete-imported-key-material",
                        failed);
                }

                throw;
            }

            if (ex is OperationCanceledException || state != KeyState.PendingImport)
            {
                throw new ReimportIncompleteException(keyId, fingerprint, ex);
            }

            // The delete happened although its answer was lost: import as planned.
        }

        try
        {
            return await client.ImportKeyMaterialAsync(keyId, material, importOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
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
