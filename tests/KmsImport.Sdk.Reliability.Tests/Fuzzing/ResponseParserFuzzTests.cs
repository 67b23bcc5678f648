using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Reliability.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the HTTPS transport's response handling: random statuses, headers
/// (<c>Retry-After</c>, <c>Content-Type</c>, <c>X-Request-Id</c>) and mutated bodies of every
/// operation's success and error documents, plus bodies that break off mid-read, fed through a
/// fake <see cref="HttpMessageHandler"/> into <see cref="HttpKmsTransport"/>. The only documented
/// outcome besides success is <see cref="KmsRequestFailedException"/>; and no exception message may
/// hold the import token of the body it failed to parse.
/// </summary>
public sealed class ResponseParserFuzzTests : ReliabilityTest
{
    private const string KeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";

    private static readonly int[] s_statuses = [200, 200, 200, 200, 200, 201, 204, 301, 302, 400, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503, 504, 599];
    private static readonly string?[] s_retryAfter = [null, null, "0", "1", "-5", "abc", "99999999", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", ""];
    private static readonly string?[] s_contentTypes = [null, "application/json", "application/json;charset=UTF-8", "text/html", "text/plain", "application/json; charset=utf-16", "application/octet-stream", "x/y; a=b"];

    [Test]
    [CancelAfter(ReliabilitySettings.LongTestTimeoutMilliseconds)]
    public async Task Transport_Answers_Every_Response_With_A_Result_Or_KmsRequestFailedException()
    {
        int iterations = ReliabilitySettings.FuzzIterations;
        int seed = ReliabilitySettings.FuzzSeed;
        var random = new Random(seed);
        var mutator = new Mutator(random);
        string importToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(300));
        SecretAudit.Secrets.Add(importToken);
        byte[][] templates = CreateTemplates(importToken);

        var handler = new FuzzHandler(mutator, templates);
        using var httpClient = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var options = new KeyImportClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9"),
            ProjectId = "0123456789abcdef0123456789abcdef",
            Retry = new KmsRetryOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(20) },
        };
        string secretKey = "fuzz-secret-key-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        SecretAudit.Secrets.Add(secretKey);
        var transport = new HttpKmsTransport(httpClient, new AccessKeyCredential("FUZZACCESSKEY0000001", secretKey), options, logger: SecretAudit.LoggerFactory.CreateLogger<HttpKmsTransport>());

        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var findings = new List<string>();
        CancellationToken testToken = TestContext.CurrentContext.CancellationToken;
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations && findings.Count < 10; i++)
        {
            testToken.ThrowIfCancellationRequested();
            int operation = random.Next(5);
            handler.Operation = operation;
            string outcome;
            try
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                outcome = await InvokeAsync(transport, operation, bound.Token);
            }
            catch (KmsRequestFailedException ex)
            {
                outcome = $"KmsRequestFailedException {(ex.Status == 0 ? "no response" : ex.Status / 100 + "xx")}";
                if (ex.ToString().Contains(importToken, StringComparison.Ordinal) || ex.Message.Contains(importToken[..40], StringComparison.Ordinal))
                {
                    findings.Add($"iteration {i}: the exception repeats the import token of the body");
                }

                if (i % 97 == 0)
                {
                    SecretAudit.Texts.AddException(ex);
                }
            }
            catch (Exception ex)
            {
                outcome = "undocumented " + ex.GetType().Name;
                findings.Add($"iteration {i} (seed {seed}, operation {operation}): {ex.GetType().FullName}: {ex.Message}");
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        stopwatch.Stop();
        Figures.Record("response-parser fuzz inputs", $"{handler.Responses} responses over {iterations} calls (seed {seed}) in {stopwatch.Elapsed.TotalSeconds:F1} s");
        Figures.Record("response-parser fuzz outcomes", string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key}: {o.Value}")));
        Assert.That(findings, Is.Empty, "only results and KmsRequestFailedException are documented");
        Assert.That(outcomes.Keys, Has.Some.StartsWith("ok"), "the loop reached the success path too");
        Assert.That(outcomes.Keys, Has.Some.StartsWith("KmsRequestFailedException"));
    }

    private static async Task<string> InvokeAsync(HttpKmsTransport transport, int operation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case 0:
                CreateKeyResult created = await transport.CreateKeyAsync(new CreateKeyRequest("fuzz"), cancellationToken);
                Assert.That(created.KeyId, Is.Not.Null.And.Not.Empty);
                return "ok create-key";
            case 1:
                ImportParameters parameters = await transport.GetParametersForImportAsync(new GetParametersForImportRequest(KeyId), cancellationToken);
                Assert.That(parameters.WrappingKey, Is.Not.Null);
                Assert.That(parameters.ImportToken, Is.Not.Null.And.Not.Empty);
                // A mutated token can be one character long and occur anywhere by chance; real ones are 200+.
                if (parameters.ImportToken.Length >= 16)
                {
                    Assert.That(parameters.ToString().Contains(parameters.ImportToken, StringComparison.Ordinal), Is.False, "ToString() redacts the import token");
                }

                return "ok get-parameters-for-import";
            case 2:
                await transport.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(KeyId, "token", Convert.ToBase64String(new byte[256])), cancellationToken);
                return "ok import-key-material";
            case 3:
                await transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(KeyId), cancellationToken);
                return "ok delete-imported-key-material";
            default:
                KeyDetails details = await transport.DescribeKeyAsync(new DescribeKeyRequest(KeyId), cancellationToken);
                Assert.That(details, Is.Not.Null);
                SecretAudit.Texts.AddObject(details);
                return "ok describe-key";
        }
    }

    private static byte[][] CreateTemplates(string importToken)
    {
        using var rsa = RSA.Create(2048);
        string publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        long expires = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds();
        string[] texts =
        [
            // 0 create-key, 1 get-parameters-for-import, 2 import, 3 delete, 4 describe (indexed by operation)
            $"{{\"key_info\":{{\"key_id\":\"{KeyId}\",\"domain_id\":\"b168fe00ff56492495a7d22974df2d0b\"}}}}",
            $"{{\"key_id\":\"{KeyId}\",\"public_key\":\"{publicKey}\",\"import_token\":\"{importToken}\",\"expiration_time\":{expires.ToString(CultureInfo.InvariantCulture)}}}",
            "{}",
            string.Empty,
            $"{{\"key_info\":{{\"key_id\":\"{KeyId}\",\"domain_id\":\"b168fe00ff56492495a7d22974df2d0b\",\"key_alias\":\"fuzz\",\"realm\":\"eu-de\",\"key_spec\":\"AES_256\",\"key_usage\":\"ENCRYPT_DECRYPT\",\"key_description\":\"\",\"creation_date\":\"1764300000000\",\"scheduled_deletion_date\":\"\",\"key_state\":\"5\",\"default_key_flag\":\"0\",\"key_type\":\"1\",\"expiration_time\":\"\",\"origin\":\"external\",\"key_rotation_enabled\":\"false\",\"sys_enterprise_project_id\":\"0\",\"keystore_id\":\"0\"}}}}",
            // 5, 6: the two error shapes
            "{\"error\":{\"error_code\":\"KMS.2601\",\"error_msg\":\"The import token has expired.\"}}",
            "{\"error_code\":\"APIG.0308\",\"error_msg\":\"The request is throttled.\",\"request_id\":\"c3a5d1e2f3a4b5c6d7e8f9a0b1c2d3e4\"}",
        ];
        return texts.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary>Answers each request with a random status, random headers and a mutated body; sometimes fails the connection or breaks the body off.</summary>
    private sealed class FuzzHandler(Mutator mutator, byte[][] templates) : HttpMessageHandler
    {
        public int Operation { get; set; }

        public int Responses { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Responses++;
            Random random = mutator.Random;
            int roll = random.Next(100);
            if (roll == 0)
            {
                throw new HttpRequestException("connection refused (fuzz)", new System.Net.Sockets.SocketException(111));
            }

            int status = s_statuses[random.Next(s_statuses.Length)];
            byte[] template = random.Next(4) == 0 ? templates[5 + random.Next(2)] : templates[Operation];
            byte[] body = mutator.Mutate(template);
            var response = new HttpResponseMessage((HttpStatusCode)status)
            {
                RequestMessage = request,
                Content = roll == 1 ? new BrokenContent(body, random.Next(body.Length + 1)) : new ByteArrayContent(body),
            };
            string? contentType = s_contentTypes[random.Next(s_contentTypes.Length)];
            if (contentType is not null)
            {
                response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            if (s_retryAfter[random.Next(s_retryAfter.Length)] is { } retryAfter)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            }

            if (random.Next(3) > 0)
            {
                response.Headers.TryAddWithoutValidation("X-Request-Id", random.Next(20) == 0 ? new string('r', 10_000) : Guid.NewGuid().ToString("N"));
            }

            return Task.FromResult(response);
        }
    }

    /// <summary>A body that breaks off with an <see cref="IOException"/>, like a connection dropped mid-response.</summary>
    private sealed class BrokenContent(byte[] body, int breakAt) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, breakAt));
            throw new IOException("the connection was reset (fuzz)");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
