using System.Runtime.ExceptionServices;

namespace KmsImport.Sdk;

public partial class KeyImportClient
{
    // How much earlier than our first create-key a key found by its alias may say it was created
    // (this machine's clock against the service's; the gateway itself allows 15 minutes).
    private static readonly TimeSpan s_creationClockTolerance = TimeSpan.FromMinutes(15);

    // Keys for imported material live in the default keystore: the service refuses others (KMS.0339).
    private static void CheckKeystoreAcceptsImport(CreateKeyRequest request)
    {
        if (request.Origin == KeyOrigin.External && request.KeystoreId is { Length: > 0 } keystore && keystore != "0")
        {
            throw new KeyImportValidationException(
                $"A key with origin 'external' cannot live in the custom keystore '{keystore}': custom keystores do not take imported material (the service would answer {KmsErrorCodes.CustomKeystoreNoImport}). Leave CreateKeyRequest.KeystoreId null (or \"0\") to create the key in the default keystore.");
        }
    }

    /// <summary>
    /// create-key that never loses a key and never makes two. The transport retries what certainly
    /// was not processed (429, 503, no connection). After an unknown outcome (no answer, 500, 502,
    /// 504) the same alias is created again: success means the first attempt created nothing;
    /// KMS.1104 means it created the key, which list-keys then finds by its alias.
    /// </summary>
    private async Task<CreateKeyResult> CreateKeySettledAsync(CreateKeyRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset started = _timeProvider.GetUtcNow();
        KmsRequestFailedException unknown;
        try
        {
            return await _transport.CreateKeyAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (KmsRequestFailedException ex) when (ex.ErrorCode == KmsErrorCodes.DuplicateAlias && ex.AfterRetry)
        {
            // The transport retried (503, 429, no connection) and the retry found the alias taken: the
            // earlier attempt may have created the key after all. Settle it by the alias; a key that
            // existed before we started is a genuine duplicate.
            ClientLog.CreateKeyOutcomeUnknown(_logger, request.KeyAlias, 1, ex.Status, ex.RequestId);
            return await FindCreatedKeyAsync(request, started, ex, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (KmsRequestFailedException ex) when (ex.IsOutcomeUnknown)
        {
            unknown = ex;
        }

        for (int attempt = 2; ; attempt++)
        {
            ClientLog.CreateKeyOutcomeUnknown(_logger, request.KeyAlias, attempt - 1, unknown.Status, unknown.RequestId);
            try
            {
                CreateKeyResult created = await _transport.CreateKeyAsync(request, cancellationToken).ConfigureAwait(false);
                ClientLog.CreateKeySettledAsNotCreated(_logger, request.KeyAlias, created.KeyId);
                return created;
            }
            catch (KmsRequestFailedException ex) when (ex.ErrorCode == KmsErrorCodes.DuplicateAlias)
            {
                return await FindCreatedKeyAsync(request, started, unknown, null, cancellationToken).ConfigureAwait(false);
            }
            catch (KmsRequestFailedException ex) when (ex.IsOutcomeUnknown && attempt < MaxImportAttempts)
            {
                unknown = ex;
                await Task.Delay(ImportAttempts.BackOff(_retry, attempt - 1, Random.Shared.NextDouble()), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (KmsRequestFailedException ex) when (!ex.IsOutcomeUnknown)
            {
                // A definite refusal of the retry (429 after retries, quota, ...) says nothing about the
                // earlier attempt, which may have created the key: still unknown.
                throw Unsettled(request, unknown, $"creating it again was refused ({ex.ErrorCode ?? $"HTTP {ex.Status}"}: {ex.ServiceMessage ?? ex.Message})", ex, aliasTaken: false);
            }
        }
    }

    // The alias is taken after our unknown outcome: exactly one key with it, of the spec and origin
    // asked for (pending import for imported material) and created since we started, is ours.
    // Anything else stays unknown, with what was found. With a duplicate that came after a retry,
    // a key that existed before we started is reported as that plain duplicate.
    private async Task<CreateKeyResult> FindCreatedKeyAsync(CreateKeyRequest request, DateTimeOffset started, KmsRequestFailedException unknown, KmsRequestFailedException? duplicateAfterRetry, CancellationToken cancellationToken)
    {
        var found = new List<KeyDetails>();
        try
        {
            await foreach (KeyDetails key in ListKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(key.KeyAlias, request.KeyAlias, StringComparison.Ordinal))
                {
                    found.Add(key);
                }
            }
        }
        catch (KmsRequestFailedException ex)
        {
            throw Unsettled(request, unknown, $"list-keys failed while looking the alias up ({ex.Message})", ex);
        }

        if (found.Count == 1 && IsTheKeyAskedFor(found[0], request, started))
        {
            ClientLog.CreateKeySettledByAlias(_logger, request.KeyAlias, found[0].KeyId);
            return KmsImportModelFactory.CreateKeyResult(found[0].KeyId, found[0].DomainId);
        }

        if (duplicateAfterRetry is not null && found.Count > 0 && found.TrueForAll(k => k.CreationDate is { } created && created < started - s_creationClockTolerance))
        {
            // Every key with the alias predates this call: the alias was simply taken.
            ExceptionDispatchInfo.Throw(duplicateAfterRetry);
        }

        string what = found.Count switch
        {
            0 => "list-keys found no key with that alias",
            1 => $"list-keys found key {found[0].KeyId} with that alias, but it is {found[0].KeySpec}, origin {found[0].Origin}, state {found[0].KeyState.DisplayName}, created {found[0].CreationDate:O}: not the key asked for",
            _ => $"list-keys found {found.Count} keys with that alias: {string.Join(", ", found.Select(k => k.KeyId))}",
        };
        throw Unsettled(request, unknown, what, null);
    }

    private static bool IsTheKeyAskedFor(KeyDetails key, CreateKeyRequest request, DateTimeOffset started)
    {
        KeyOrigin origin = request.Origin == default ? KeyOrigin.Kms : request.Origin;
        KeySpec spec = request.KeySpec == default ? KeySpec.Aes256 : request.KeySpec;

        // A key for imported material that we just created has no material yet: one in any other
        // state (say Enabled) is someone else's key with the alias.
        return (key.KeySpec is null || key.KeySpec == spec)
            && (key.Origin is null || key.Origin == origin)
            && (origin != KeyOrigin.External || key.KeyState == KeyState.PendingImport)
            && (key.CreationDate is null || key.CreationDate >= started - s_creationClockTolerance);
    }

    private KmsRequestFailedException Unsettled(CreateKeyRequest request, KmsRequestFailedException unknown, string found, Exception? cause, bool aliasTaken = true)
    {
        ClientLog.CreateKeyUnsettled(_logger, request.KeyAlias, found);
        return KmsRequestFailedException.ClientComposed(
            0,
            null,
            unknown.AfterRetry && unknown.ErrorCode == KmsErrorCodes.DuplicateAlias
                ? $"create-key for alias '{request.KeyAlias}' was retried after an attempt got 503, 429 or no connection, and the retry found the alias taken ({KmsErrorCodes.DuplicateAlias}): the earlier attempt may have created the key, and {found}. List the keys with this alias before creating it again"
                : aliasTaken
                ? $"create-key for alias '{request.KeyAlias}' got no definite answer ({unknown.ServiceMessage ?? $"HTTP {unknown.Status}"}); creating it again found the alias taken ({KmsErrorCodes.DuplicateAlias}) and {found}. List the keys with this alias before creating it again"
                : $"create-key for alias '{request.KeyAlias}' got no definite answer ({unknown.ServiceMessage ?? $"HTTP {unknown.Status}"}) and {found}, so a key may or may not have been created. List the keys with this alias before creating it again",
            unknown.RequestId,
            "create-key",
            cause ?? unknown);
    }
}
