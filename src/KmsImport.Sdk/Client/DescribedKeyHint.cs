namespace KmsImport.Sdk;

/// <summary>
/// A migration step's describe-key answer, handed to the import it starts so that each key is described once. It flows
/// with the async call (set only around that one call) rather than through <see cref="ImportKeyMaterialOptions"/>, so an
/// <see cref="IKeyImportClient"/> implementation or mock receives exactly the options the caller gave.
/// </summary>
internal static class DescribedKeyHint
{
    private static readonly AsyncLocal<KeyDetails?> s_current = new();

    /// <summary>Hands <paramref name="details"/> (none if null) to the import started before the result is disposed.</summary>
    public static Scope Offer(KeyDetails? details)
    {
        KeyDetails? previous = s_current.Value;
        s_current.Value = details;
        return new Scope(previous);
    }

    /// <summary>The answer offered for <paramref name="keyId"/>, if any; taken once, so nothing the import calls sees it again.</summary>
    public static KeyDetails? Take(string keyId)
    {
        KeyDetails? offered = s_current.Value;
        if (offered is null || !string.Equals(offered.KeyId, keyId, StringComparison.Ordinal))
        {
            return null;
        }

        s_current.Value = null;
        return offered;
    }

    /// <summary>Restores what was offered before.</summary>
    internal readonly struct Scope(KeyDetails? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
