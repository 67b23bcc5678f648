using System.Net;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Transport;

// Success bodies mapped to the public types, read defensively (kms-api.md, "describe-key").
[CancelAfter(10_000)]
public class HttpKmsTransportResponseTests
{
    [TestCase("1764400000")]
    [TestCase("\"1764400000\"")]
    [TestCase("1764400000000")]
    public async Task GetParametersForImport_Parses_Key_Token_And_Expiry_As_Number_Or_String(string expirationJson, CancellationToken ct)
    {
        var harness = new TransportHarness();
        string publicKey = TransportHarness.WrappingPublicKeyBase64();
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.ParametersBody(publicKey, expirationJson));

        ImportParameters parameters = await harness.CreateTransport().GetParametersForImportAsync(
            new GetParametersForImportRequest(TransportHarness.KeyId), ct);

        Assert.Multiple(() =>
        {
            Assert.That(parameters.KeyId, Is.EqualTo(TransportHarness.KeyId));
            Assert.That(parameters.ImportToken, Is.EqualTo(TransportHarness.ImportToken));
            Assert.That(parameters.WrappingAlgorithm, Is.EqualTo(WrappingAlgorithm.RsaesOaepSha256));
            Assert.That(parameters.WrappingKey.ToBase64(), Is.EqualTo(publicKey));
            Assert.That(parameters.WrappingKey.KeySizeInBits, Is.EqualTo(2048));
            Assert.That(parameters.ExpiresOn, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1764400000)));
        });
    }

    [Test]
    public void GetParametersForImport_With_A_Malformed_Wrapping_Key_Fails_Clearly_Without_The_Token()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.ParametersBody("bm90IGEga2V5", "1764400000"), configure: TransportHarness.WithRequestId("req-pk"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().GetParametersForImportAsync(new GetParametersForImportRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("malformed response").And.Contain("public_key").And.Contain("get-parameters-for-import").And.Contain("req-pk"));
            Assert.That(ex.Message, Does.Not.Contain(TransportHarness.ImportToken));
            Assert.That(ex.Status, Is.EqualTo(200));
            Assert.That(ex.InnerException, Is.Not.Null);
        });
    }

    [TestCase("""{"key_id":"k","import_token":"t","expiration_time":1}""", "public_key is missing")]
    [TestCase("""{"key_id":"k","public_key":"QUJD","expiration_time":1}""", "import_token is missing")]
    [TestCase("""{"key_id":"k","public_key":"QUJD","import_token":"t"}""", "expiration_time is missing")]
    [TestCase("""{"key_id":"k","public_key":"QUJD","import_token":"t","expiration_time":"soon"}""", "expiration_time 'soon' is not a Unix time")]
    public void GetParametersForImport_With_Missing_Fields_Names_The_Field(string body, string problem)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, body);

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().GetParametersForImportAsync(new GetParametersForImportRequest(TransportHarness.KeyId)));

        Assert.That(ex!.Message, Does.Contain(problem));
    }

    [Test]
    public async Task DescribeKey_Reads_Millisecond_And_Second_Timestamps_Flags_And_Empty_Strings_As_Absent(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, """
            {"key_info":{"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f","domain_id":"b168fe00ff56492495a7d22974df2d0b",
            "key_alias":"byok","realm":"eu-de","key_spec":"AES_256","key_usage":"ENCRYPT_DECRYPT","key_description":"",
            "creation_date":"1502799822000","scheduled_deletion_date":"","key_state":"2","default_key_flag":"0",
            "key_type":"1","expiration_time":"1798859045","origin":"external","key_rotation_enabled":"false",
            "sys_enterprise_project_id":"0","keystore_id":"0"}}
            """);

        KeyDetails details = await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        Assert.Multiple(() =>
        {
            Assert.That(details.KeyId, Is.EqualTo(TransportHarness.KeyId));
            Assert.That(details.KeyAlias, Is.EqualTo("byok"));
            Assert.That(details.Realm, Is.EqualTo("eu-de"));
            Assert.That(details.KeySpec, Is.EqualTo(KeySpec.Aes256));
            Assert.That(details.KeyUsage, Is.EqualTo(KeyUsage.EncryptDecrypt));
            Assert.That(details.KeyDescription, Is.Null);
            Assert.That(details.CreationDate, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1502799822000)));
            Assert.That(details.ScheduledDeletionDate, Is.Null);
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(details.DefaultKeyFlag, Is.False);
            Assert.That(details.KeyType, Is.EqualTo("1"));
            Assert.That(details.MaterialExpiresOn, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1798859045)));
            Assert.That(details.Origin, Is.EqualTo(KeyOrigin.External));
            Assert.That(details.KeyRotationEnabled, Is.False);
            Assert.That(details.EnterpriseProjectId, Is.EqualTo("0"));
        });
    }

    [Test]
    public async Task DescribeKey_Keeps_Unknown_States_And_Accepts_Numbers_Where_Strings_Are_Documented(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, """{"key_info":{"key_id":"k","key_state":9,"creation_date":1502799822,"default_key_flag":true,"key_spec":null}}""");

        KeyDetails details = await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest("k"), ct);

        Assert.Multiple(() =>
        {
            Assert.That(details.KeyState.ToString(), Is.EqualTo("9"));
            Assert.That(details.CreationDate, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1502799822)));
            Assert.That(details.DefaultKeyFlag, Is.True);
            Assert.That(details.KeySpec, Is.Null);
            Assert.That(details.MaterialExpiresOn, Is.Null);
        });
    }

    [TestCase("""{"key_info":{"key_id":"k"}}""", "key_state is missing")]
    [TestCase("""{"something":"else"}""", "key_info is missing")]
    [TestCase("""{"key_info":{"key_id":"k","key_state":"2" """, "not valid JSON")]
    [TestCase("<html>oops</html>", "not valid JSON")]
    [TestCase("", "the body is empty")]
    [TestCase("null", "JSON null")]
    public void DescribeKey_With_A_Malformed_Success_Body_Fails_Clearly(string body, string problem)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, body);

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("malformed response").And.Contain(problem));
            Assert.That(ex.Status, Is.EqualTo(200));
            Assert.That(ex.ErrorCode, Is.Null);
        });
    }

    [Test]
    public void CreateKey_Without_A_Key_Id_Fails_Clearly()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, """{"key_info":{"domain_id":"d"}}""");

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().CreateKeyAsync(new CreateKeyRequest("a")));

        Assert.That(ex!.Message, Does.Contain("key_info.key_id is missing"));
    }

    [Test]
    public async Task Import_And_Delete_Accept_Empty_Or_Empty_Object_Bodies(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, "{}").Respond(HttpStatusCode.NoContent).Respond(HttpStatusCode.OK, "not json, and not read");
        HttpKmsTransport transport = harness.CreateTransport();

        await transport.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD"), ct);
        await transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(TransportHarness.KeyId), ct);
        await transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(TransportHarness.KeyId), ct);

        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(3));
    }
}
