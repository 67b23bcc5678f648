using System.Net;
using System.Net.Sockets;
using System.Text;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Polly.Timeout;

namespace KmsImport.Sdk.Tests.Transport;

// Errors of both shapes, bodies that are not KMS errors, and failures without a response.
[CancelAfter(20_000)]
public class HttpKmsTransportErrorTests
{
    [Test]
    public void Kms_Error_Shape_Maps_Status_Code_Message_And_Request_Id_Header()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.BadRequest, TransportHarness.ErrorBody("KMS.2601", "The import token has expired."), configure: TransportHarness.WithRequestId("req-2601"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().ImportKeyMaterialAsync(
            new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(400));
            Assert.That(ex.ErrorCode, Is.EqualTo(KmsErrorCodes.ImportTokenExpired));
            Assert.That(ex.ServiceMessage, Is.EqualTo("The import token has expired."));
            Assert.That(ex.RequestId, Is.EqualTo("req-2601"));
            Assert.That(ex.Operation, Is.EqualTo("import-key-material"));
            Assert.That(ex.IsOutcomeUnknown, Is.False);
            Assert.That(ex.Message, Does.Contain("HTTP 400").And.Contain("KMS.2601").And.Contain("req-2601"));
            Assert.That(ex.Message, Does.Not.Contain(TransportHarness.ImportToken).And.Not.Contain("QUJD").And.Not.Contain(TransportHarness.SecretKey));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Gateway_Error_Shape_Takes_The_Request_Id_From_The_Body_And_Is_Never_Retried()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.Unauthorized, TransportHarness.GatewayErrorBody("APIG.0301", "Incorrect IAM authentication information: verify aksk signature fail", "gw-0301"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(401));
            Assert.That(ex.ErrorCode, Is.EqualTo(KmsErrorCodes.SignatureInvalid));
            Assert.That(ex.RequestId, Is.EqualTo("gw-0301"));
            Assert.That(ex.Message, Does.Contain("five failures lock the AK"));
            Assert.That(ex.Message, Does.Not.Contain(request.Header("Authorization")!).And.Not.Contain("Signature=").And.Not.Contain(TransportHarness.SecretKey));
        });
    }

    [Test]
    public void Clock_Skew_Error_Carries_The_Hint()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.Unauthorized, TransportHarness.GatewayErrorBody("APIG.0303", "Incorrect app authentication information: request expired", "gw-0303"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.That(ex!.Message, Does.Contain("clock").And.Contain("NTP"));
    }

    [Test]
    public void Html_Page_From_A_Proxy_Becomes_A_Status_Without_Code_And_The_Page_Is_Not_Echoed()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.BadGateway, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", "text/html", TransportHarness.WithRequestId("proxy-1"));

        // create-key is not idempotent: a 502 is surfaced, not retried.
        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().CreateKeyAsync(new CreateKeyRequest("alias")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(502));
            Assert.That(ex.ErrorCode, Is.Null);
            Assert.That(ex.RequestId, Is.EqualTo("proxy-1"));
            Assert.That(ex.IsOutcomeUnknown, Is.True);
            Assert.That(ex.Message, Does.Contain("text/html").And.Contain("proxy").And.Not.Contain("<html>"));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Truncated_Error_Json_Is_Reported_As_No_Error_Document()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.BadRequest, """{"error":{"error_code":"KMS.02""");

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(400));
            Assert.That(ex.ErrorCode, Is.Null);
            Assert.That(ex.Message, Does.Contain("no KMS error document"));
        });
    }

    [Test]
    public void Oversized_Body_Is_Not_Read_Past_One_Mebibyte()
    {
        var harness = new TransportHarness();
        byte[] huge = Encoding.ASCII.GetBytes(new string('x', (1024 * 1024) + 10));
        harness.Handler.RespondBytes(HttpStatusCode.BadRequest, huge, "text/plain");
        harness.Handler.RespondBytes(HttpStatusCode.OK, huge, "application/json");
        HttpKmsTransport transport = harness.CreateTransport();

        var error = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));
        var success = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Status, Is.EqualTo(400));
            Assert.That(error.Message, Does.Contain("larger than 1 MiB"));
            Assert.That(success!.Status, Is.EqualTo(200));
            Assert.That(success.Message, Does.Contain("malformed response").And.Contain("larger than 1 MiB"));
        });
    }

    [Test]
    public void Redirects_Are_Errors_Not_Followed()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.TemporaryRedirect, configure: r => r.Headers.Location = new Uri("https://elsewhere.example.com/"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(307));
            Assert.That(ex.Message, Does.Contain("redirect"));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Connection_Lost_After_Sending_An_Import_Is_Status_Zero_And_Not_Retried()
    {
        var harness = new TransportHarness();
        var lost = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
        harness.Handler.Throw(lost);

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().ImportKeyMaterialAsync(
            new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(ex.ErrorCode, Is.Null);
            Assert.That(ex.InnerException, Is.SameAs(lost));
            Assert.That(ex.IsOutcomeUnknown, Is.True);
            Assert.That(ex.Message, Does.Contain("may or may not have processed"));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Attempt_Timeout_Of_An_Import_Is_Status_Zero_With_The_Timeout_As_Cause()
    {
        var harness = new TransportHarness(o => o.Retry.AttemptTimeout = TimeSpan.FromSeconds(5));
        harness.Handler.Hang();

        Task call = harness.CreateTransport().ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD"));
        KmsRequestFailedException? ex = null;
        try
        {
            await harness.DriveAsync(call, TimeSpan.FromSeconds(1));
        }
        catch (KmsRequestFailedException caught)
        {
            ex = caught;
        }

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.Not.Null);
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(ex.InnerException, Is.InstanceOf<TimeoutRejectedException>());
            Assert.That(ex.Message, Does.Contain("attempt timeout of 5 s"));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Total_Timeout_Is_Status_Zero_And_Names_The_Total_Timeout()
    {
        var harness = new TransportHarness(o =>
        {
            o.Retry.AttemptTimeout = TimeSpan.FromSeconds(4);
            o.Retry.TotalTimeout = TimeSpan.FromSeconds(10);
            o.Retry.MaxRetryAttempts = 10;
        });
        for (int i = 0; i < 11; i++)
        {
            harness.Handler.Hang();
        }

        Task call = harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId));
        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.DriveAsync(call, TimeSpan.FromSeconds(1)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(ex.Message, Does.Contain("total timeout of 10 s"));
            Assert.That(harness.Handler.Requests, Has.Count.InRange(2, 3));
        });
    }

    [Test]
    public void Caller_Cancellation_Stays_An_OperationCanceledException()
    {
        var harness = new TransportHarness();
        harness.Handler.Hang();
        using var cts = new CancellationTokenSource();

        Task call = harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), cts.Token);
        cts.Cancel();

        Assert.That(async () => await call, Throws.InstanceOf<OperationCanceledException>());
    }

    // Real loopback sockets: a server that reads the request and closes the connection without answering.
    [Test]
    public async Task Connection_Closed_By_A_Real_Server_Is_Status_Zero(CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = ServeOneRequestAsync(listener, (client, _) =>
        {
            client.Client.Shutdown(SocketShutdown.Both);
            return Task.CompletedTask;
        }, ct);

        var options = new KeyImportClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            ProjectId = TransportHarness.ProjectId,
        };
        options.Retry.MaxRetryAttempts = 0;
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var transport = new HttpKmsTransport(http, new AccessKeyCredential(TransportHarness.AccessKey, TransportHarness.SecretKey), options);

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.ImportKeyMaterialAsync(
            new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD"), ct));
        await server;

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(ex.InnerException, Is.InstanceOf<HttpRequestException>());
        });
    }

    // Real loopback sockets: an HTML error page from something that is not KMS.
    [Test]
    public async Task Html_Error_Page_From_A_Real_Server_Is_Mapped(CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = ServeOneRequestAsync(listener, async (_, stream) =>
        {
            byte[] page = Encoding.ASCII.GetBytes("<html><body>Forbidden by proxy</body></html>");
            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\nX-Request-Id: real-1\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head, ct);
            await stream.WriteAsync(page, ct);
        }, ct);

        var options = new KeyImportClientOptions
        {
            Endpoint = new Uri($"http://localhost:{port}"),
            ProjectId = TransportHarness.ProjectId,
        };
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var transport = new HttpKmsTransport(http, new IamTokenCredential("static-iam-token"), options);

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct));
        await server;

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(403));
            Assert.That(ex.RequestId, Is.EqualTo("real-1"));
            Assert.That(ex.Message, Does.Contain("text/html").And.Not.Contain("static-iam-token"));
        });
    }

    // Accepts one connection on a real loopback socket, reads the request, then answers as the test says.
    private static Task ServeOneRequestAsync(TcpListener listener, Func<TcpClient, NetworkStream, Task> answer, CancellationToken ct) =>
        Task.Run(
            async () =>
            {
                using TcpClient client = await listener.AcceptTcpClientAsync(ct);
                NetworkStream stream = client.GetStream();
                byte[] buffer = new byte[8192];
                _ = await stream.ReadAsync(buffer, ct);
                await answer(client, stream);
            },
            ct);
}
