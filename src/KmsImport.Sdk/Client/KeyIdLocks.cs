namespace KmsImport.Sdk;

/// <summary>
/// One async lock per key id: a second import of a key waits for the first. An entry lives only while
/// someone holds or waits for it, so the table does not grow with the number of keys ever imported.
/// </summary>
internal sealed class KeyIdLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The number of key ids held or waited for now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Waits for the key's lock; dispose the result to release it.</summary>
    public async Task<Releaser> AcquireAsync(string keyId, CancellationToken cancellationToken)
    {
        Entry entry;
        bool contended;
        lock (_gate)
        {
            if (!_entries.TryGetValue(keyId, out entry!))
            {
                entry = new Entry();
                _entries[keyId] = entry;
            }

            contended = ++entry.References > 1;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Return(keyId, entry, release: false);
            throw;
        }

        return new Releaser(this, keyId, entry, contended);
    }

    private void Return(string keyId, Entry entry, bool release)
    {
        if (release)
        {
            entry.Semaphore.Release();
        }

        lock (_gate)
        {
            if (--entry.References == 0)
            {
                _entries.Remove(keyId);
                entry.Semaphore.Dispose();
            }
        }
    }

    /// <summary>Releases a key's lock once.</summary>
    internal sealed class Releaser : IDisposable
    {
        private readonly KeyIdLocks _owner;
        private readonly string _keyId;
        private Entry? _entry;

        public Releaser(KeyIdLocks owner, string keyId, Entry entry, bool wasContended)
        {
            _owner = owner;
            _keyId = keyId;
            _entry = entry;
            WasContended = wasContended;
        }

        /// <summary>Whether another caller held or awaited the key's lock when this one asked for it.</summary>
        public bool WasContended { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _entry, null) is { } entry)
            {
                _owner.Return(_keyId, entry, release: true);
            }
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        // Guarded by the owner's gate.
        public int References { get; set; }
    }
}
