using System.Globalization;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>Counts this process's open file descriptors and the TCP connections to a port (Linux /proc).</summary>
internal static class HandleCounter
{
    public static bool IsSupported => Directory.Exists("/proc/self/fd") && File.Exists("/proc/net/tcp");

    /// <summary>
    /// Entries in <c>/proc/self/fd</c>: files, sockets, pipes, event fds; without the runtime's loaded
    /// assemblies and their symbol files (<c>.dll</c>, <c>.pdb</c>, <c>.so</c>). The runtime opens those the
    /// first time code needs them (a long run reaches code paths a short one does not: Polly's retry
    /// outcomes, stack traces with line numbers) and keeps them for the life of the process; they are not
    /// handles anything could release.
    /// </summary>
    public static int CountOpenFileDescriptors() => Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(fd => !IsLoadedModule(fd));

    private static bool IsLoadedModule(string fd)
    {
        string? target;
        try
        {
            target = new FileInfo(fd).LinkTarget;
        }
        catch (IOException)
        {
            return false;
        }

        return target is not null && target.StartsWith('/') && (target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".pdb", StringComparison.Ordinal) || target.Contains(".so", StringComparison.Ordinal));
    }

    /// <summary>
    /// TCP connections (IPv4 and IPv6) with <paramref name="port"/> at either end, in any state but
    /// LISTEN and TIME_WAIT (a TIME_WAIT entry is the kernel's, no longer a handle of the process).
    /// Both ends count, since the client and the served emulator share this process.
    /// </summary>
    public static int CountTcpConnections(int port)
    {
        int count = 0;
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (string line in File.ReadLines(file).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4)
                {
                    continue;
                }

                int local = ParsePort(fields[1]);
                int remote = ParsePort(fields[2]);
                string state = fields[3];
                if ((local == port || remote == port) && state is not "0A" and not "06")
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>
    /// What this process's descriptors are, counted by kind: <c>tcp</c> sockets by state, sockets found in
    /// no TCP table (closed by the peer or never connected), unix sockets, pipes, anonymous inodes
    /// (eventpoll, eventfd, inotify) and files. For the failure message of a leak check.
    /// </summary>
    public static IReadOnlyDictionary<string, int> DescribeOpenFileDescriptors()
    {
        var tcpStates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (File.Exists(file))
            {
                foreach (string line in File.ReadLines(file).Skip(1))
                {
                    string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9)
                    {
                        tcpStates[fields[9]] = fields[3];
                    }
                }
            }
        }

        var unix = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists("/proc/net/unix"))
        {
            foreach (string line in File.ReadLines("/proc/net/unix").Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 6)
                {
                    unix.Add(fields[6]);
                }
            }
        }

        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }

            string kind = target switch
            {
                null => "unknown",
                _ when target.StartsWith("socket:[", StringComparison.Ordinal) => ClassifySocket(target[8..^1], tcpStates, unix),
                _ when target.StartsWith("pipe:", StringComparison.Ordinal) => "pipe",
                _ when target.StartsWith("anon_inode:", StringComparison.Ordinal) => target,
                _ when target.StartsWith("/dev/", StringComparison.Ordinal) => "device",
                _ => "file " + Path.GetFileName(target),
            };
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        return kinds;
    }

    /// <summary>The kinds whose count grew from <paramref name="before"/> to <paramref name="after"/>, as text.</summary>
    public static string DescribeGrowth(IReadOnlyDictionary<string, int> before, IReadOnlyDictionary<string, int> after) =>
        string.Join(", ", after
            .Select(a => (a.Key, Delta: a.Value - before.GetValueOrDefault(a.Key)))
            .Where(a => a.Delta != 0)
            .Select(a => $"{a.Key} {a.Delta:+#;-#}"));

    private static string ClassifySocket(string inode, Dictionary<string, string> tcpStates, HashSet<string> unix) =>
        tcpStates.TryGetValue(inode, out string? state) ? $"tcp state {state}"
        : unix.Contains(inode) ? "unix socket"
        : "socket in no TCP table";

    /// <summary>Polls (bounded) until <paramref name="condition"/> holds; returns whether it did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan limit)
    {
        DateTime end = DateTime.UtcNow + limit;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= end)
            {
                return false;
            }

            await Task.Delay(100);
        }
    }

    private static int ParsePort(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        return colon < 0 ? -1 : int.Parse(endpoint.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
