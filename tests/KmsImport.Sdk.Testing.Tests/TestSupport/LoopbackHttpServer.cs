using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>
/// A minimal HTTP/1.1 server on a TcpListener bound to 127.0.0.1 that answers every request with
/// one fixed response and counts the requests it received (request line and headers read).
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<LoopbackHttpServer, string> _response;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _requests;

    private LoopbackHttpServer(Func<LoopbackHttpServer, string> response)
    {
        _response = response;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers 200 with a describe-key body.</summary>
    public static LoopbackHttpServer Describing(string keyId) => new(_ =>
        Response("200 OK", "{\"key_info\":{\"key_id\":\"" + keyId + "\",\"key_state\":\"2\"}}", null));

    /// <summary>Answers 307 to the same path on <paramref name="target"/>.</summary>
    public static LoopbackHttpServer RedirectingTo(Uri target) => new(_ => Response("307 Temporary Redirect", string.Empty, target));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private static string Response(string status, string body, Uri? location)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status}\r\n");
        if (location is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Location: {location}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        return text.ToString();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    await ServeAsync(client.GetStream());
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                    // The client went away.
                }
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream)
    {
        // Request line and headers, then the body by Content-Length.
        var head = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one, _stopping.Token) == 0)
            {
                return;
            }

            head.Add(one[0]);
        }

        Interlocked.Increment(ref _requests);
        string headers = Encoding.ASCII.GetString([.. head]);
        int length = 0;
        foreach (string line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        byte[] body = new byte[length];
        int read = 0;
        while (read < length)
        {
            int n = await stream.ReadAsync(body.AsMemory(read), _stopping.Token);
            if (n == 0)
            {
                return;
            }

            read += n;
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(_response(this)), _stopping.Token);
        await stream.FlushAsync(_stopping.Token);
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';
}
