using System.Collections.Concurrent;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk;

/// <summary>
/// Import parameters per key and wrapping algorithm, reused while they stay valid beyond the safety
/// margin; an entry is dropped once its token has been spent by an import or refused by the service.
/// </summary>
internal sealed class ImportParametersCache(IKmsTransport transport, TimeProvider timeProvider, TimeSpan safetyMargin, ILogger logger)
{
    // Parameters of keys whose import failed for good stay cached for a retry; past this many
    // entries, a fetch also drops the entries that are no longer usable.
    private const int PruneThreshold = 1024;

    private readonly ConcurrentDictionary<CacheKey, ImportParameters> _entries = new();

    /// <summary>Cached parameters still valid beyond the margin, else fresh ones (cached when they are valid long enough).</summary>
    public async Task<ImportParameters> GetAsync(string keyId, WrappingAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var cacheKey = new CacheKey(keyId, algorithm);
        if (_entries.TryGetValue(cacheKey, out ImportParameters? cached))
        {
            if (cached.IsValid(timeProvider, safetyMargin))
            {
                ClientLog.ImportParametersReused(logger, keyId, algorithm, cached.ExpiresOn);
                return cached;
            }

            _entries.TryRemove(new KeyValuePair<CacheKey, ImportParameters>(cacheKey, cached));
        }

        // Parameters for another key would wrap material for the wrong key: refused before any use.
        ImportParameters fresh = ImportRules.ThrowIfOtherKey(keyId, await transport.GetParametersForImportAsync(
            new GetParametersForImportRequest(keyId) { WrappingAlgorithm = algorithm },
            cancellationToken).ConfigureAwait(false));
        if (fresh.IsValid(timeProvider, safetyMargin))
        {
            _entries[cacheKey] = fresh;
            ClientLog.ImportParametersFetched(logger, keyId, algorithm, fresh.ExpiresOn);
            Prune();
        }
        else
        {
            ClientLog.ImportParametersShortLived(logger, keyId, fresh.ExpiresOn, safetyMargin);
        }

        return fresh;
    }

    /// <summary>Removes the entry only if it still holds these parameters, not newer ones fetched meanwhile.</summary>
    public void Evict(string keyId, WrappingAlgorithm algorithm, ImportParameters parameters) =>
        _entries.TryRemove(new KeyValuePair<CacheKey, ImportParameters>(new CacheKey(keyId, algorithm), parameters));

    private void Prune()
    {
        if (_entries.Count <= PruneThreshold)
        {
            return;
        }

        foreach (KeyValuePair<CacheKey, ImportParameters> entry in _entries)
        {
            if (!entry.Value.IsValid(timeProvider, safetyMargin))
            {
                _entries.TryRemove(entry);
            }
        }
    }

    private readonly record struct CacheKey(string KeyId, WrappingAlgorithm Algorithm);
}
