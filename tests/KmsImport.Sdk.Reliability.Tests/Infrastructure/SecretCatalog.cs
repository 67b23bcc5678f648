using System.Buffers;
using System.Text;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// Every secret the suite uses (material, private key DER, temporary keys, SK, IAM and import
/// tokens), kept as the text forms a leak would take: lower- and upper-case hex and Base64 of the
/// bytes, and the string itself for secrets that are strings. Thread-safe.
/// </summary>
internal sealed class SecretCatalog
{
    // Short forms would match by chance; 12 bytes = 24 hex / 16 Base64 characters is far from that.
    private const int MinimumFormLength = 16;

    // Forms of the first 4 KiB only (every key, token and temporary key is shorter; a leak of a longer
    // secret shows its start too). The 1 MiB oversized-input secret made each scan build a matcher of
    // about 465 MiB, twice per test: the test host peaked at 8 to 9 GB.
    private const int MaxSecretBytes = 4096;

    private readonly Lock _lock = new();
    private readonly List<string> _forms = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private int _secretCount;

    public int SecretCount
    {
        get
        {
            lock (_lock)
            {
                return _secretCount;
            }
        }
    }

    public int FormCount
    {
        get
        {
            lock (_lock)
            {
                return _forms.Count;
            }
        }
    }

    /// <summary>Registers secret bytes (their hex in both cases and Base64, standard and URL-safe).</summary>
    public void Add(ReadOnlySpan<byte> secret)
    {
        if (secret.IsEmpty)
        {
            return;
        }

        secret = secret[..Math.Min(secret.Length, MaxSecretBytes)];

        // Base64 of the whole 3-byte groups only: a prefix of the Base64 of any longer buffer that
        // starts with the secret, so a secret embedded at the start of a larger blob still matches.
        string base64 = Convert.ToBase64String(secret[..(secret.Length / 3 * 3)]);
        string[] forms =
        [
            Convert.ToHexStringLower(secret),
            Convert.ToHexString(secret),
            base64.TrimEnd('='),
            base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        ];
        AddForms(forms);
    }

    /// <summary>Registers a secret string (itself, and its UTF-8 bytes' forms).</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        AddForms([secret.Length > MaxSecretBytes ? secret[..MaxSecretBytes] : secret]);
        Add(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>The forms registered from <paramref name="start"/> on, and the new end.</summary>
    public (string[] Forms, int End) Snapshot(int start = 0)
    {
        lock (_lock)
        {
            return (_forms.Skip(start).ToArray(), _forms.Count);
        }
    }

    /// <summary>Builds a matcher over forms; null when there are none.</summary>
    public static SearchValues<string>? CreateMatcher(IReadOnlyCollection<string> forms) =>
        forms.Count == 0 ? null : SearchValues.Create(forms.ToArray(), StringComparison.Ordinal);

    private void AddForms(IEnumerable<string> forms)
    {
        lock (_lock)
        {
            _secretCount++;
            foreach (string form in forms)
            {
                if (form.Length >= MinimumFormLength && _known.Add(form))
                {
                    _forms.Add(form);
                }
            }
        }
    }
}
