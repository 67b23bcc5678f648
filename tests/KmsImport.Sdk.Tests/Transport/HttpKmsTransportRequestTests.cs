using System.Net;
using System.Text.Json;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Transport;

// What goes on the wire: URL, headers, JSON field names and Base64 forms (kms-api.md, "Operations").
[CancelAfter(10_000)]
public class HttpKmsTransportRequestTests
{
    private const string OperationBase = "https://kms.eu-de.otc.t-systems.com/v1.0/" + TransportHarness.ProjectId + "/kms/";

    [Test]
    public async Task CreateKey_Posts_Snake_Case_Json_To_The_Operation_Path_With_Project_Headers(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, """{"key_info":{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","domain_id":"d1"}}""");

        CreateKeyResult result = await harness.CreateTransport().CreateKeyAsync(
            new CreateKeyRequest("byok/app-1") { KeySpec = KeySpec.Rsa2048, KeyUsage = KeyUsage.SignVerify, KeyDescription = "d", Sequence = "919c82d4-8046-4722-9094-35c3c6524cff" },
            ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(KmsImportModelFactory.CreateKeyResult(TransportHarness.KeyId, "d1")));
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(request.Uri.AbsoluteUri, Is.EqualTo(OperationBase + "create-key"));
            Assert.That(request.ContentType, Is.EqualTo("application/json;charset=UTF-8"));
            Assert.That(request.Header("X-Project-Id"), Is.EqualTo(TransportHarness.ProjectId));
            Assert.That(request.Header("User-Agent"), Does.StartWith("KmsImport.Sdk/").And.Contains("(.NET "));
            Assert.That(request.Header("User-Agent"), Is.EqualTo(HttpKmsTransport.UserAgent));
            Assert.That(request.BodyText, Is.EqualTo(
                """{"key_alias":"byok/app-1","key_spec":"RSA_2048","key_usage":"SIGN_VERIFY","key_description":"d","origin":"external","sequence":"919c82d4-8046-4722-9094-35c3c6524cff"}"""));
        });
    }

    [Test]
    public async Task CreateKey_Omits_Unset_Optional_Fields(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, """{"key_info":{"key_id":"k"}}""");

        await harness.CreateTransport().CreateKeyAsync(new CreateKeyRequest("alias"), ct);

        Assert.That(harness.Handler.Requests.Single().BodyText, Is.EqualTo("""{"key_alias":"alias","key_spec":"AES_256","origin":"external"}"""));
    }

    [Test]
    public async Task GetParametersForImport_Sends_Key_Id_And_Wrapping_Algorithm(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.ParametersBody(TransportHarness.WrappingPublicKeyBase64(), "1764400000"));

        await harness.CreateTransport().GetParametersForImportAsync(new GetParametersForImportRequest(TransportHarness.KeyId), ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Uri.AbsoluteUri, Is.EqualTo(OperationBase + "get-parameters-for-import"));
            Assert.That(request.BodyText, Is.EqualTo($$"""{"key_id":"{{TransportHarness.KeyId}}","wrapping_algorithm":"RSAES_OAEP_SHA_256"}"""));
        });
    }

    [Test]
    public async Task ImportKeyMaterial_Sends_Base64_Fields_Unchanged_And_Expiry_As_Epoch_Seconds(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, "{}");
        string material = Convert.ToBase64String(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        string privateKey = Convert.ToBase64String(Enumerable.Range(0, 200).Select(i => (byte)(255 - i)).ToArray());

        await harness.CreateTransport().ImportKeyMaterialAsync(
            new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, material)
            {
                EncryptedPrivateKey = privateKey,
                MaterialExpiresOn = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero),
            },
            ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        using JsonDocument json = JsonDocument.Parse(request.Body);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(request.Uri.AbsoluteUri, Is.EqualTo(OperationBase + "import-key-material"));
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "key_id", "import_token", "encrypted_key_material", "encrypted_privatekey", "expiration_time" }));
            Assert.That(root.GetProperty("import_token").GetString(), Is.EqualTo(TransportHarness.ImportToken));
            Assert.That(root.GetProperty("encrypted_key_material").GetString(), Is.EqualTo(material));
            Assert.That(root.GetProperty("encrypted_privatekey").GetString(), Is.EqualTo(privateKey));
            Assert.That(root.GetProperty("expiration_time").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(root.GetProperty("expiration_time").GetInt64(), Is.EqualTo(1798859045));

            // Standard Base64 with padding, never escaped: '+', '/' and '=' travel as they are.
            Assert.That(request.BodyText, Does.Contain(material).And.Not.Contain("\\u002B").And.Not.Contain("\\u003D"));
        });
    }

    [Test]
    public async Task ImportKeyMaterial_Without_Expiry_Or_Private_Key_Omits_Them(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK);

        await harness.CreateTransport().ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD"), ct);

        Assert.That(harness.Handler.Requests.Single().BodyText, Is.EqualTo(
            $$"""{"key_id":"{{TransportHarness.KeyId}}","import_token":"{{TransportHarness.ImportToken}}","encrypted_key_material":"QUJD"}"""));
    }

    [Test]
    public async Task Delete_And_Describe_Send_Only_The_Key_Id(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK).Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());
        HttpKmsTransport transport = harness.CreateTransport();

        await transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(TransportHarness.KeyId), ct);
        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId) { Sequence = "s" }, ct);

        Assert.Multiple(() =>
        {
            Assert.That(harness.Handler.Requests[0].Uri.AbsoluteUri, Is.EqualTo(OperationBase + "delete-imported-key-material"));
            Assert.That(harness.Handler.Requests[0].BodyText, Is.EqualTo($$"""{"key_id":"{{TransportHarness.KeyId}}"}"""));
            Assert.That(harness.Handler.Requests[1].Uri.AbsoluteUri, Is.EqualTo(OperationBase + "describe-key"));
            Assert.That(harness.Handler.Requests[1].BodyText, Is.EqualTo($$"""{"key_id":"{{TransportHarness.KeyId}}","sequence":"s"}"""));
        });
    }

    [Test]
    public void Arguments_Are_Checked_Before_Anything_Is_Sent()
    {
        var harness = new TransportHarness();
        HttpKmsTransport transport = harness.CreateTransport();

        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<ArgumentNullException>(() => transport.CreateKeyAsync(null!));
            Assert.ThrowsAsync<ArgumentException>(() => transport.DescribeKeyAsync(new DescribeKeyRequest(" ")));
            Assert.ThrowsAsync<ArgumentException>(() => transport.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, string.Empty, "QUJD")));
            Assert.That(harness.Handler.Requests, Is.Empty);
        });
    }

    [Test]
    public void ToString_Names_Endpoint_And_Credential_Kind_But_No_Secret()
    {
        var harness = new TransportHarness(credential: new AccessKeyCredential(TransportHarness.AccessKey, TransportHarness.SecretKey, "SECURITY-TOKEN-SECRET"));
        string text = harness.CreateTransport().ToString();

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("kms.eu-de.otc.t-systems.com").And.Contain("AK/SK"));
            Assert.That(text, Does.Not.Contain(TransportHarness.SecretKey).And.Not.Contain("SECURITY-TOKEN-SECRET").And.Not.Contain(TransportHarness.AccessKey));
        });
    }
}
