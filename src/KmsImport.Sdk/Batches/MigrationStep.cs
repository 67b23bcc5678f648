using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Batches;

/// <summary>One key of a migration, step by step, each step journalled before and after.</summary>
internal sealed class MigrationStep(IBatchJournal? journal, TimeProvider timeProvider)
{
    // How much earlier than this run a key taken by alias may say it was created (this machine's clock against the
    // service's), as the client allows when it settles its own create-key by alias.
    private static readonly TimeSpan s_creationClockTolerance = TimeSpan.FromMinutes(15);

    private readonly DateTimeOffset _runStarted = timeProvider.GetUtcNow();

    // The fingerprint is computed per key rather than kept per material: the same material gives the
    // same fingerprint at every target, and nothing is held per key for the length of the run.
    public async Task<MigrationResult> RunAsync(int index, MigrationItem item, JournalState state, CancellationToken cancellationToken)
    {
        string fingerprint = item.Material.ComputeFingerprint();
        string? alias = item.CreateKey?.KeyAlias;
        string spec = item.Material.KeySpec.ToString();
        JournalState.Entry? recorded = state.Find(JournalState.IdentityOf(item.Target, item.KeyId, alias)!);
        string? keyId = item.KeyId ?? recorded?.KeyId;
        try
        {
            if (recorded is { IsImported: true })
            {
                if (!string.Equals(recorded.ImportedFingerprint, fingerprint, StringComparison.Ordinal))
                {
                    throw new KeyImportValidationException(
                        $"The journal records key {keyId} at {item.Target} imported with material sha256:{recorded.ImportedFingerprint}, but this run names material sha256:{fingerprint}. Nothing was sent; check the manifest's file for this key.");
                }

                return Result(index, item, keyId, fingerprint, MigrationOutcome.Skipped, recorded.Confirmation ?? "recorded imported in the journal");
            }

            bool created = false;
            if (keyId is null)
            {
                CreateKeyRequest request = item.CreateKey!;
                if (request.KeySpec != item.Material.KeySpec || request.Origin != KeyOrigin.External)
                {
                    throw new KeyImportValidationException(
                        $"The key to create for alias '{request.KeyAlias}' is {request.KeySpec}, origin {request.Origin}, but the material is {item.Material.KeySpec}; nothing was created. Create an external {item.Material.KeySpec} key (CreateKeyRequest.KeySpec, Origin = KeyOrigin.External).");
                }

                if (recorded is { CreateStarted: true })
                {
                    // An earlier run sent create-key and recorded no answer: the key may exist.
                    keyId = await FindByAliasAsync(item.Client, request, cancellationToken).ConfigureAwait(false);
                }

                if (keyId is null)
                {
                    await AppendAsync(item, BatchJournalEvent.CreateStarted, null, spec, null, null, null, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        keyId = (await item.Client.CreateKeyAsync(request, cancellationToken).ConfigureAwait(false)).KeyId;
                        created = true;
                    }
                    catch (KmsRequestFailedException ex) when (ex.ErrorCode == KmsErrorCodes.DuplicateAlias)
                    {
                        // With a journal that shows no earlier create-key for it, the key is ours only if it looks just made for us.
                        // Without a journal the alias is the key's identity (a re-run without its journal finds its keys by alias).
                        keyId = journal is not null
                            ? await AdoptTakenAliasAsync(item, request, ex, cancellationToken).ConfigureAwait(false)
                            : await FindByAliasAsync(item.Client, request, cancellationToken).ConfigureAwait(false)
                                ?? throw new KeyImportValidationException($"The alias '{request.KeyAlias}' is taken ({KmsErrorCodes.DuplicateAlias}) but list-keys finds no key with it at {item.Target}. Check the alias and run again.", ex);
                    }
                }

                await AppendAsync(item, BatchJournalEvent.Created, keyId, spec, null, null, null, CancellationToken.None).ConfigureAwait(false);
            }

            KeyDetails? described = null;
            if (!created)
            {
                described = await item.Client.DescribeKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
                if (described.KeyState == KeyState.Enabled)
                {
                    return await AlreadyImportedAsync(index, item, keyId, spec, fingerprint, cancellationToken).ConfigureAwait(false);
                }
            }

            await AppendAsync(item, BatchJournalEvent.ImportStarted, keyId, spec, fingerprint, null, null, cancellationToken).ConfigureAwait(false);
            KeyImportResult imported;
            try
            {
                // One describe-key per key: the import's pre-flight checks this answer rather than asking again.
                using (DescribedKeyHint.Offer(described))
                {
                    imported = await item.Client.ImportKeyMaterialAsync(keyId, item.Material, item.Options, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (described is not null && ex is KmsRequestFailedException or KeyImportValidationException)
            {
                // The answer may have aged (import-batch learns specs before the run; another import may have finished
                // since): a key that is Enabled now is "already imported", as a fresh describe-key would have found it.
                KeyDetails now = await item.Client.DescribeKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
                if (now.KeyState != KeyState.Enabled)
                {
                    throw;
                }

                return await AlreadyImportedAsync(index, item, keyId, spec, fingerprint, cancellationToken).ConfigureAwait(false);
            }

            string how = imported.Confirmation.Description;
            await AppendAsync(item, BatchJournalEvent.Imported, keyId, spec, fingerprint, how, null, CancellationToken.None).ConfigureAwait(false);
            return Result(index, item, keyId, fingerprint, MigrationOutcome.Imported, how, imported);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await AppendAsync(item, BatchJournalEvent.Failed, keyId, spec, fingerprint, null, ex.Message, CancellationToken.None).ConfigureAwait(false);
            return Result(index, item, keyId, fingerprint, MigrationOutcome.Failed, confirmation: null, error: ex);
        }
    }

    private async Task<MigrationResult> AlreadyImportedAsync(int index, MigrationItem item, string keyId, string spec, string fingerprint, CancellationToken cancellationToken)
    {
        string confirmation = await VerifyExistingAsync(item.Client, keyId, item.Material, cancellationToken).ConfigureAwait(false);
        await AppendAsync(item, BatchJournalEvent.AlreadyImported, keyId, spec, fingerprint, confirmation, null, CancellationToken.None).ConfigureAwait(false);
        return Result(index, item, keyId, fingerprint, MigrationOutcome.AlreadyImported, confirmation);
    }

    // The alias was taken when this run created the key and the journal shows no earlier create-key for it. The client's
    // rule: exactly one key with the alias, of the spec, origin external, pending import and created since this run
    // started (within the clock tolerance) is ours (the answer to our create-key was lost); anything else is someone
    // else's key, never adopted.
    private async Task<string> AdoptTakenAliasAsync(MigrationItem item, CreateKeyRequest request, KmsRequestFailedException duplicate, CancellationToken cancellationToken)
    {
        var found = new List<KeyDetails>();
        await foreach (KeyDetails key in item.Client.ListKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(key.KeyAlias, request.KeyAlias, StringComparison.Ordinal))
            {
                found.Add(key);
            }
        }

        if (found.Count == 1
            && found[0] is { KeyState: var state } only
            && state == KeyState.PendingImport
            && (only.KeySpec is null || only.KeySpec == request.KeySpec)
            && (only.Origin is null || only.Origin == KeyOrigin.External)
            && (only.CreationDate is null || only.CreationDate >= _runStarted - s_creationClockTolerance))
        {
            return only.KeyId;
        }

        string what = found.Count switch
        {
            0 => "list-keys finds no key with it",
            1 => $"it names key {found[0].KeyId} ({found[0].KeySpec}, origin {found[0].Origin}, state {found[0].KeyState.DisplayName}, created {found[0].CreationDate:O})",
            _ => $"{found.Count} keys have it ({string.Join(", ", found.Select(k => k.KeyId))})",
        };
        throw new KeyImportValidationException(
            $"The alias '{request.KeyAlias}' is already taken at {item.Target} ({KmsErrorCodes.DuplicateAlias}): {what}. The journal shows no earlier create-key for it by this migration, so the key is not adopted and nothing was imported. Choose another alias, or give that key's id in the manifest if it is the key meant.",
            duplicate);
    }

    // Exactly one key with the alias, of the spec asked for and origin external, is ours; none means create it.
    private static async Task<string?> FindByAliasAsync(IKeyImportClient client, CreateKeyRequest request, CancellationToken cancellationToken)
    {
        var found = new List<KeyDetails>();
        await foreach (KeyDetails key in client.ListKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(key.KeyAlias, request.KeyAlias, StringComparison.Ordinal))
            {
                found.Add(key);
            }
        }

        if (found.Count == 0)
        {
            return null;
        }

        if (found.Count > 1)
        {
            throw new KeyImportValidationException($"list-keys finds {found.Count} keys with the alias '{request.KeyAlias}' ({string.Join(", ", found.Select(k => k.KeyId))}); the batch cannot tell which is its key. Remove the alias from the manifest or give the key id instead.");
        }

        KeyDetails only = found[0];
        if ((only.KeySpec is { } spec && spec != request.KeySpec) || (only.Origin is { } origin && origin != KeyOrigin.External))
        {
            throw new KeyImportValidationException($"The alias '{request.KeyAlias}' names key {only.KeyId}, which is {only.KeySpec}, origin {only.Origin}: not an external {request.KeySpec} key. Choose another alias.");
        }

        return only.KeyId;
    }

    // A key found Enabled: for a private key, its public key must be ours; symmetric material cannot be compared.
    private static async Task<string> VerifyExistingAsync(IKeyImportClient client, string keyId, KeyMaterial material, CancellationToken cancellationToken)
    {
        if (!material.IsPrivateKey)
        {
            return KeyMigration.UnverifiedSymmetric;
        }

        byte[] ours = PublicKeyEncoding.SubjectPublicKeyInfoOf(material);
        KmsPublicKey theirs;
        try
        {
            theirs = await client.GetPublicKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        }
        catch (KmsRequestFailedException ex)
        {
            return $"unverified: found Enabled; get-publickey failed ({ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        }

        if (!theirs.SubjectPublicKeyInfo.Span.SequenceEqual(ours))
        {
            throw new ImportedMaterialMismatchException(keyId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ours)), theirs.Fingerprint);
        }

        return "public key matches";
    }

    private static MigrationResult Result(int index, MigrationItem item, string? keyId, string fingerprint, MigrationOutcome outcome, string? confirmation, KeyImportResult? importResult = null, Exception? error = null) => new()
    {
        Index = index,
        Target = item.Target,
        KeyId = keyId,
        Alias = item.CreateKey?.KeyAlias,
        Outcome = outcome,
        MaterialFingerprint = fingerprint,
        Confirmation = confirmation,
        ImportResult = importResult,
        Error = error,
    };

    private async ValueTask AppendAsync(MigrationItem item, BatchJournalEvent kind, string? keyId, string spec, string? fingerprint, string? confirmation, string? error, CancellationToken cancellationToken)
    {
        if (journal is null)
        {
            return;
        }

        await journal.AppendAsync(
            new BatchJournalRecord
            {
                Time = timeProvider.GetUtcNow(),
                Event = kind,
                Target = item.Target,
                KeyId = keyId,
                Alias = item.CreateKey?.KeyAlias,
                Spec = spec,
                Fingerprint = fingerprint,
                Confirmation = confirmation,
                Error = error,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
