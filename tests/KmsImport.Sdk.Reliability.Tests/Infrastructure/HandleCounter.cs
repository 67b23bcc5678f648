using System.Globalization;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>Counts this process's open file descriptors and the TCP connections to a port (Linux /proc).</summary>
internal static class HandleCounter
{
    public static bool IsSupported => Directory.Exists("/proc/self/fd") && File.Exists("/proc/net/tcp");

    /// <summary>Entries in <c>/proc/self/fd</c>: files, sockets, pipes, event fds.</summary>
    public static int CountOpenFileDescriptors() => Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();

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
