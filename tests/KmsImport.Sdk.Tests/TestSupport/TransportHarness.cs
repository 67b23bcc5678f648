using System.Net;
using System.Security.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>An <see cref="HttpKmsTransport"/> over a scripted handler, a fake clock, a fake logger and a fake environment.</summary>
internal sealed class TransportHarness
{
    public const string ProjectId = "0123456789abcdef0123456789abcdef";
    public const string AccessKey = "HARNESSACCESSKEY0001";
    public const string SecretKey = "harness-secret-key-do-not-log-0001";
    public const string KeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";
    public const string ImportToken = "SU1QT1JULVRPS0VOLURPLU5PVC1MT0c=" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";

    public static readonly DateTimeOffset Start = new(2026, 11, 29, 1, 2, 3, TimeSpan.Zero);

    public TransportHarness(Action<KeyImportClientOptions>? configure = null, DictionaryEnvironment? environment = null, KmsCredential? credential = null)
    {
        Options = new KeyImportClientOptions
        {
            Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com"),
            ProjectId = ProjectId,
        };
        Credential = credential ?? new AccessKeyCredential(AccessKey, SecretKey);
        Options.Retry.BaseDelay = TimeSpan.Zero;
        configure?.Invoke(Options);
        Environment = environment ?? DictionaryEnvironment.Empty;
        HttpClient = new HttpClient(Handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ScriptedHttpMessageHandler Handler { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeLogger Logger { get; } = new();

    public KeyImportClientOptions Options { get; }

    public KmsCredential Credential { get; }

    public DictionaryEnvironment Environment { get; }

    public HttpClient HttpClient { get; }

    public HttpKmsTransport CreateTransport() => new(() => HttpClient, Credential, Options, Time, Logger, Environment);

    /// <summary>
    /// Awaits a call while moving the fake clock forward in steps, so back-off delays and timeouts
    /// elapse without real waiting. Bounded: fails after <paramref name="maxSteps"/> steps.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan? step = null, int maxSteps = 2000)
    {
        await DriveAsync((Task)task, step, maxSteps);
        return await task;
    }

    public async Task DriveAsync(Task task, TimeSpan? step = null, int maxSteps = 2000)
    {
        for (int i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(2));
            if (!task.IsCompleted)
            {
                Time.Advance(step ?? TimeSpan.FromMilliseconds(500));
            }
        }

        if (!task.IsCompleted)
        {
            Assert.Fail($"The call did not complete within {maxSteps} clock steps.");
        }

        await task;
    }

    public static string WrappingPublicKeyBase64()
    {
        using var rsa = RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    public static string ErrorBody(string code, string message) =>
        "{\"error\":{\"error_code\":\"" + code + "\",\"error_msg\":\"" + message + "\"}}";

    public static string GatewayErrorBody(string code, string message, string requestId) =>
        $$"""{"error_code":"{{code}}","error_msg":"{{message}}","request_id":"{{requestId}}"}""";

    /// <summary>A get-parameters-for-import answer for <see cref="KeyId"/> with <see cref="ImportToken"/>.</summary>
    public static string ParametersBody(string publicKey, string expirationJson) =>
        $$"""{"key_id":"{{KeyId}}","public_key":"{{publicKey}}","import_token":"{{ImportToken}}","expiration_time":{{expirationJson}}}""";

    public static string DescribeBody(string state = "2") =>
        "{\"key_info\":{\"key_id\":\"" + KeyId + "\",\"key_state\":\"" + state + "\",\"key_spec\":\"AES_256\",\"origin\":\"external\",\"creation_date\":\"1764380000000\",\"expiration_time\":\"\"}}";

    public static Action<HttpResponseMessage> WithRequestId(string requestId) => r => r.Headers.TryAddWithoutValidation("X-Request-Id", requestId);

    public static HttpStatusCode Status(int code) => (HttpStatusCode)code;
}
