using KmsImport.Sdk.Transport;

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
        catch (KmsRequestFailedException ex) when (ex.IsOutcomeUnknown)
        {
            unknown = ex;
        }

        for (int attempt = 2; ; attempt++)
        {
            Log.CreateKeyOutcomeUnknown(_logger, request.KeyAlias, attempt - 1, unknown.Status, unknown.RequestId);
            try
            {
                CreateKeyResult created = await _transport.CreateKeyAsync(request, cancellationToken).ConfigureAwait(false);
                Log.CreateKeySettledAsNotCreated(_logger, request.KeyAlias, created.KeyId);
                return created;
            }
            catch (KmsRequestFailedException ex) when (ex.ErrorCode == KmsErrorCodes.DuplicateAlias)
            {
                return await FindCreatedKeyAsync(request, started, unknown, cancellationToken).ConfigureAwait(false);
            }
            catch (KmsRequestFailedException ex) when (ex.IsOutcomeUnknown && attempt < MaxImportAttempts)
            {
                unknown = ex;
                await Task.Delay(s_unknownOutcomeBaseDelay * (1 << (attempt - 2)), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The alias is taken after our unknown outcome: exactly one key with it, of the spec and origin
    // asked for and created since we started, is ours. Anything else stays unknown, with what was found.
    private async Task<CreateKeyResult> FindCreatedKeyAsync(CreateKeyRequest request, DateTimeOffset started, KmsRequestFailedException unknown, CancellationToken cancellationToken)
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
            Log.CreateKeySettledByAlias(_logger, request.KeyAlias, found[0].KeyId);
            return KmsImportModelFactory.CreateKeyResult(found[0].KeyId, found[0].DomainId);
        }

        string what = found.Count switch
        {
            0 => "list-keys found no key with that alias",
            1 => $"list-keys found key {found[0].KeyId} with that alias, but it is {found[0].KeySpec}, origin {found[0].Origin}, created {found[0].CreationDate:O}: not the key asked for",
            _ => $"list-keys found {found.Count} keys with that alias: {string.Join(", ", found.Select(k => k.KeyId))}",
        };
        throw Unsettled(request, unknown, what, null);
    }

    private static bool IsTheKeyAskedFor(KeyDetails key, CreateKeyRequest request, DateTimeOffset started)
    {
        KeyOrigin origin = request.Origin == default ? KeyOrigin.Kms : request.Origin;
        KeySpec spec = request.KeySpec == default ? KeySpec.Aes256 : request.KeySpec;
        return (key.KeySpec is null || key.KeySpec == spec)
            && (key.Origin is null || key.Origin == origin)
            && (key.CreationDate is null || key.CreationDate >= started - s_creationClockTolerance);
    }

    private KmsRequestFailedException Unsettled(CreateKeyRequest request, KmsRequestFailedException unknown, string found, Exception? cause)
    {
        Log.CreateKeyUnsettled(_logger, request.KeyAlias, found);
        return new KmsRequestFailedException(
            0,
            null,
            $"create-key for alias '{request.KeyAlias}' got no definite answer ({unknown.ServiceMessage ?? $"HTTP {unknown.Status}"}); creating it again found the alias taken ({KmsErrorCodes.DuplicateAlias}) and {found}. List the keys with this alias before creating it again",
            unknown.RequestId,
            "create-key",
            cause ?? unknown);
    }
}
