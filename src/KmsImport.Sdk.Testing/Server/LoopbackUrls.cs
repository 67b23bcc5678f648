using System.Globalization;
using System.Net;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// The emulator listens on loopback only. Before start, <see cref="Normalize"/> turns a
/// <c>--urls</c> list into loopback IP literals or refuses it; after start,
/// <see cref="EnsureLoopback"/> checks what was actually bound.
/// </summary>
/// <remarks>
/// Kestrel binds every interface for a host it cannot parse as an IP address other than
/// <c>localhost</c> (<c>http://loopback:5080</c>, <c>http://*:5080</c>, <c>http://example:5080</c>),
/// and <c>0.0.0.0</c> / <c>[::]</c> are every interface by definition; an emulator with throw-away
/// credentials must never be reachable from another machine.
/// </remarks>
internal static class LoopbackUrls
{
    private const string Example = "http://127.0.0.1:5080 or http://[::1]:5080 (port 0 picks a free one)";

    /// <summary>
    /// The <c>;</c>-separated URLs as <c>http://{loopback IP}:{port}</c>: IPv4 loopback (127.0.0.0/8)
    /// and <c>[::1]</c> are kept, <c>localhost</c> and <c>loopback</c> become <c>127.0.0.1</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, not an absolute http URL, user info, a path, query
    /// or fragment, or a host that is not loopback; the message names the URL and says what to use.</exception>
    public static string Normalize(string urls)
    {
        string[] entries = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            throw new ArgumentException($"No address to listen on; use {Example}.");
        }

        var normalized = new List<string>(entries.Length);
        foreach (string entry in entries)
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                throw Refused(entry, "it is not an absolute http:// URL with a loopback IP address (the emulator serves plain HTTP)");
            }

            if (uri.UserInfo.Length != 0)
            {
                throw Refused(entry, "it has user info (user:password@); the emulator takes credentials from its options, never from a URL");
            }

            if (uri.AbsolutePath != "/" || uri.Query.Length != 0 || uri.Fragment.Length != 0)
            {
                throw Refused(entry, "it has a path, query or fragment; give only scheme, host and port");
            }

            normalized.Add(string.Create(CultureInfo.InvariantCulture, $"http://{LoopbackHost(entry, uri)}:{uri.Port}"));
        }

        return string.Join(';', normalized);
    }

    /// <summary>Checks that every bound address is a loopback IP literal.</summary>
    /// <exception cref="InvalidOperationException">An address is not a loopback IP; the message names it.</exception>
    public static void EnsureLoopback(IEnumerable<string> boundAddresses)
    {
        foreach (string address in boundAddresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri)
                || !IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? ip)
                || !IPAddress.IsLoopback(ip))
            {
                throw new InvalidOperationException($"The emulator was bound to '{address}', which is not a loopback IP address; it has been stopped. Use {Example}.");
            }
        }
    }

    private static string LoopbackHost(string entry, Uri uri)
    {
        string host = uri.DnsSafeHost;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || string.Equals(host, "loopback", StringComparison.OrdinalIgnoreCase))
        {
            return "127.0.0.1";
        }

        if (!IPAddress.TryParse(host, out IPAddress? ip))
        {
            throw Refused(entry, $"'{host}' is a host name; the server would listen on every interface. Only localhost and loopback are accepted as names (they become 127.0.0.1)");
        }

        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            throw Refused(entry, $"{uri.Host} means every interface, reachable from other machines");
        }

        bool ipv6 = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (!IPAddress.IsLoopback(ip) || (ipv6 && (ip.IsIPv4MappedToIPv6 || ip.ScopeId != 0)))
        {
            throw Refused(entry, $"{uri.Host} is not a loopback address");
        }

        return ipv6 ? "[" + ip + "]" : ip.ToString();
    }

    private static ArgumentException Refused(string entry, string reason) =>
        new($"Cannot listen on '{Redact(entry)}': {reason}. The emulator listens on loopback only; use {Example}.");

    // User info may hold a password: never echo it.
    private static string Redact(string entry)
    {
        int at = entry.LastIndexOf('@');
        if (at < 0)
        {
            return entry;
        }

        int start = entry.IndexOf("://", StringComparison.Ordinal);
        start = start < 0 || start > at ? 0 : start + 3;
        return string.Concat(entry.AsSpan(0, start), "***", entry.AsSpan(at));
    }
}
