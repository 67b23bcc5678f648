using System.Globalization;
using System.Security.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk;

/// <summary>Confirms an import that happened and, for a private key, that the key holds our public key.</summary>
internal sealed class ImportConfirmer(IKmsTransport transport, ILogger logger)
{
    /// <summary>
    /// The result of an import that happened: confirmed by the service's answer
    /// (<paramref name="details"/> null) or only by the key's state after an unknown outcome; for a
    /// private key, also by the key's public key, which must be the public half of ours.
    /// </summary>
    /// <exception cref="ImportedMaterialMismatchException">The key's public key is not ours.</exception>
    public async Task<KeyImportResult> ConfirmAsync(ImportPlan plan, KeyDetails? details, int attempt, CancellationToken cancellationToken)
    {
        ImportConfirmationKind kind = details is null ? ImportConfirmationKind.ServiceAccepted : ImportConfirmationKind.KeyStateOnly;
        string? publicKeyFingerprint = null;
        if (plan.SubjectPublicKeyInfo is { } ours)
        {
            // The service accepted the import: only a genuine mismatch is an error from here on; any
            // other failure (get-publickey refused, a public key we cannot read) keeps the weaker confirmation.
            KmsPublicKey? theirs = null;
            bool matches = false;
            try
            {
                theirs = await transport.GetPublicKeyAsync(new GetPublicKeyRequest(plan.KeyId), cancellationToken).ConfigureAwait(false);
                matches = theirs.SubjectPublicKeyInfo.Span.SequenceEqual(ours);
            }
            catch (KmsRequestFailedException ex)
            {
                ClientLog.ImportPublicKeyUnverified(logger, plan.KeyId, ex.Status, ex.ErrorCode, kind.ToString());
                theirs = null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ClientLog.ImportPublicKeyUnverified(logger, plan.KeyId, 0, ex.GetType().Name, kind.ToString());
                theirs = null;
            }

            if (theirs is not null)
            {
                if (!matches)
                {
                    string expected = Convert.ToHexStringLower(SHA256.HashData(ours));
                    ClientLog.ImportPublicKeyMismatch(logger, plan.KeyId, expected, theirs.Fingerprint);
                    throw new ImportedMaterialMismatchException(plan.KeyId, expected, theirs.Fingerprint);
                }

                kind = ImportConfirmationKind.PublicKeyMatches;
                publicKeyFingerprint = theirs.Fingerprint;
            }
        }

        DateTimeOffset? expiresOn = details?.MaterialExpiresOn ?? plan.ExpiresOn;
        var confirmation = new ImportConfirmation { Kind = kind, MaterialFingerprint = plan.Fingerprint, PublicKeyFingerprint = publicKeyFingerprint };
        ClientLog.ImportSucceeded(logger, plan.KeyId, attempt, expiresOn?.ToString("O", CultureInfo.InvariantCulture) ?? "never");
        ClientLog.ImportConfirmed(logger, plan.KeyId, confirmation.Description, plan.Fingerprint);
        return KmsImportModelFactory.KeyImportResult(plan.KeyId, details?.KeyState ?? KeyState.Enabled, expiresOn, plan.Fingerprint, confirmation);
    }
}
