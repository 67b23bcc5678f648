using System.Security.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Reliability.Tests.Secrets;

/// <summary>The audit itself: it must find a planted secret in every form it claims to search, or a zero would prove nothing.</summary>
public sealed class SecretAuditSelfTests : ReliabilityTest
{
    [TestCase("hex-lower")]
    [TestCase("hex-upper")]
    [TestCase("base64")]
    [TestCase("base64-in-longer-base64")]
    [TestCase("string")]
    public void Scan_Finds_A_Planted_Secret(string form)
    {
        var catalog = new SecretCatalog();
        var capture = new TextCapture();
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        string token = "token-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        catalog.Add(secret);
        catalog.Add(token);

        string planted = form switch
        {
            "hex-lower" => Convert.ToHexStringLower(secret),
            "hex-upper" => Convert.ToHexString(secret),
            "base64" => Convert.ToBase64String(secret),
            "base64-in-longer-base64" => Convert.ToBase64String([.. secret, .. RandomNumberGenerator.GetBytes(9)]),
            _ => token,
        };
        capture.Add("log", $"Importing key 1234: {planted} (attempt 1)");
        capture.Add("log", "an innocent line");

        (string[] forms, _) = catalog.Snapshot();
        string[] hits = SecretAudit.Scan(capture.Snapshot(), SecretCatalog.CreateMatcher(forms)!, forms).ToArray();

        Assert.That(hits, Has.Length.EqualTo(1));
        Assert.That(hits[0], Does.Not.Contain(planted), "the report must not repeat the secret");
    }

    [Test]
    public void Capturing_Logger_Records_Trace_Messages_State_And_Exceptions()
    {
        var capture = new TextCapture();
        var provider = new CapturingLoggerProvider(capture);
        ILogger logger = provider.CreateLogger("test");
        using (logger.BeginScope("scope {Value}", "scoped-value"))
        {
            logger.LogTrace(new InvalidOperationException("inner-text"), "message {Value}", "state-value");
        }

        string all = string.Join('\n', capture.Snapshot().Select(t => t.Text));
        Assert.That(all, Does.Contain("scoped-value").And.Contain("state-value").And.Contain("inner-text"));
        Assert.That(provider.RecordCount, Is.EqualTo(1));
    }
}
