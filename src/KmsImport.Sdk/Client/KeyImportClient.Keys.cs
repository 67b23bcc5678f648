using System.Runtime.CompilerServices;

namespace KmsImport.Sdk;

public partial class KeyImportClient
{
    /// <summary>The largest accepted <see cref="ListKeysOptions.PageSize"/>.</summary>
    public const int MaxListKeysPageSize = 1000;

    // A service that keeps answering truncated pages must not keep the enumeration going forever.
    private const int MaxListKeysPages = 100_000;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ListKeysOptions.PageSize"/> is not between 1 and 1000; nothing was sent.</exception>
    public virtual IAsyncEnumerable<KeyDetails> ListKeysAsync(ListKeysOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListKeysOptions();
        if (options.PageSize is < 1 or > MaxListKeysPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PageSize, $"ListKeysOptions.PageSize must be between 1 and {MaxListKeysPageSize}; got {options.PageSize}. The default is 100.");
        }

        if (options.State is { } state && state != default && state.ToString() is not ("1" or "2" or "3" or "4" or "5"))
        {
            throw new ArgumentOutOfRangeException(nameof(options), state.ToString(), $"The service filters list-keys by the states 1 to 5 only; {state.DisplayName} cannot be a filter. Leave State null and filter the results instead.");
        }

        return ListKeysCoreAsync(options, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a KMS key id; nothing was sent.</exception>
    public virtual Task<KmsPublicKey> GetPublicKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        KeyImportArguments.ValidateKeyId(keyId, nameof(keyId));
        return _transport.GetPublicKeyAsync(new GetPublicKeyRequest(keyId), cancellationToken);
    }

    private async IAsyncEnumerable<KeyDetails> ListKeysCoreAsync(ListKeysOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        for (int page = 0; page < MaxListKeysPages; page++)
        {
            ListKeysPage result = await _transport.ListKeysAsync(
                new ListKeysRequest
                {
                    Limit = options.PageSize,
                    Marker = marker,
                    KeyState = options.State,
                    KeySpec = options.KeySpec is { } spec && spec != default ? spec.ToString() : ListKeysRequest.AllKeySpecs,
                    EnterpriseProjectId = options.EnterpriseProjectId,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (KeyDetails key in result.Keys)
            {
                yield return key;
            }

            if (!result.Truncated || result.NextMarker is null || string.Equals(result.NextMarker, marker, StringComparison.Ordinal))
            {
                yield break;
            }

            marker = result.NextMarker;
        }
    }
}
