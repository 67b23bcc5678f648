using System.Net;
using KmsImport.Sdk.Resilience;
using KmsImport.Sdk.Tests.TestSupport;

namespace KmsImport.Sdk.Tests.Resilience;

// The one table of error codes and what the transport does about each, driven through a real
// HttpKmsTransport over a scripted handler.
[CancelAfter(20_000)]
public class KmsErrorPolicyTests
{
    private static readonly string[] s_neverRetried =
        ["KMS.1104", "KMS.0106", "KMS.0312", "KMS.0320", "KMS.0328", "KMS.0339", "KMS.1404", "KMS.0205", "APIG.0301"];

    private static IEnumerable<TestCaseData> Rows() =>
        KmsErrorPolicy.Table.Select(row => new TestCaseData(row.Code, row.Status, row.Decision == KmsErrorDecision.Retry).SetArgDisplayNames(row.Code, row.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Decision.ToString()));

    [TestCaseSource(nameof(Rows))]
    public async Task Each_Documented_Code_Is_Retried_Or_Failed_As_The_Table_Says(string code, int status, bool retried)
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(TransportHarness.Status(status), TransportHarness.ErrorBody(code, "scripted"))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        Task<KeyDetails> call = harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        if (retried)
        {
            KeyDetails details = await call;
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(2));
        }
        else
        {
            var ex = Assert.ThrowsAsync<KmsRequestFailedException>(async () => await call);
            Assert.That(ex!.ErrorCode, Is.EqualTo(code));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        }
    }

    [TestCaseSource(nameof(s_neverRetried))]
    public void The_Codes_The_Contract_Says_Never_To_Retry_Are_In_The_Table_As_Failing(string code)
    {
        Assert.That(KmsErrorPolicy.Decide(code), Is.EqualTo(KmsErrorDecision.Fail));
    }

    [Test]
    public void The_Table_Covers_Every_Code_Of_KmsErrorCodes_Once()
    {
        string[] declared = typeof(KmsErrorCodes).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        string[] tabled = KmsErrorPolicy.Table.Select(r => r.Code).ToArray();

        Assert.That(tabled, Is.Unique);
        Assert.That(tabled, Is.SupersetOf(declared));
    }

    [TestCase(500)]
    [TestCase(503)]
    [TestCase(429)]
    public void A_Failing_Code_Is_Not_Retried_Even_With_A_Transient_Status(int status)
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(TransportHarness.Status(status), TransportHarness.ErrorBody(KmsErrorCodes.ServiceFrozen, "frozen"))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId))));

        Assert.That(ex!.Message, Does.Contain("renew"));
        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_Undocumented_Code_Falls_Back_To_The_Status_Rules()
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(HttpStatusCode.BadGateway, TransportHarness.ErrorBody("KMS.9999", "new"))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(2));
    }
}
