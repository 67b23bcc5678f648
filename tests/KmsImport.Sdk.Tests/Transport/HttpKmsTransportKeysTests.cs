using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Transport;

// list-keys and get-publickey on the wire (kms-api-addendum.md sections 1 and 2).
[CancelAfter(20_000)]
public class HttpKmsTransportKeysTests
{
    private const string OtherKeyId = "1e1577c1-f838-5e0d-c46e-095cc5b585a0";

    [Test]
    public async Task List_Keys_Sends_Key_Spec_ALL_By_Default_And_The_Limit_And_Marker_As_Strings()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, """{"keys":[],"key_details":[],"next_marker":"","truncated":"false","total":0}""");

        await harness.CreateTransport().ListKeysAsync(new ListKeysRequest { Limit = 50, Marker = "100", KeyState = KeyState.Enabled });

        RecordedRequest request = harness.Handler.Requests.Single();
        using JsonDocument body = JsonDocument.Parse(request.Body);
        Assert.Multiple(() =>
        {
            Assert.That(request.Uri.AbsolutePath, Is.EqualTo($"/v1.0/{TransportHarness.ProjectId}/kms/list-keys"));
            Assert.That(body.RootElement.GetProperty("key_spec").GetString(), Is.EqualTo("ALL"));
            Assert.That(body.RootElement.GetProperty("limit").GetString(), Is.EqualTo("50"));
            Assert.That(body.RootElement.GetProperty("marker").GetString(), Is.EqualTo("100"));
            Assert.That(body.RootElement.GetProperty("key_state").GetString(), Is.EqualTo("2"));
        });
    }

    [Test]
    public async Task List_Keys_Reads_Truncated_As_A_String_And_Timestamps_In_Seconds_Milliseconds_Or_Empty()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, $$"""
            {"keys":["{{TransportHarness.KeyId}}","{{OtherKeyId}}"],
             "key_details":[
               {"key_id":"{{TransportHarness.KeyId}}","key_alias":"a","key_spec":"RSA_2048","key_state":"7","origin":"external","creation_date":"1764380000","scheduled_deletion_date":"","keystore_id":"0"},
               {"key_id":"{{OtherKeyId}}","key_alias":"b","key_spec":"AES_256","key_state":"2","origin":"kms","creation_date":"1764380000123","expiration_time":"","unknown_field":{"x":1} }],
             "next_marker":"2","truncated":"true","total":5}
            """);

        ListKeysPage page = await harness.CreateTransport().ListKeysAsync(new ListKeysRequest());

        Assert.Multiple(() =>
        {
            Assert.That(page.Truncated, Is.True);
            Assert.That(page.NextMarker, Is.EqualTo("2"));
            Assert.That(page.Total, Is.EqualTo(5));
            Assert.That(page.Keys.Select(k => k.KeyId), Is.EqualTo(new[] { TransportHarness.KeyId, OtherKeyId }));
            Assert.That(page.Keys[0].KeyState, Is.EqualTo(KeyState.Frozen));
            Assert.That(page.Keys[0].KeyState.DisplayName, Is.EqualTo("Frozen"));
            Assert.That(page.Keys[0].CreationDate, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1764380000)));
            Assert.That(page.Keys[0].ScheduledDeletionDate, Is.Null);
            Assert.That(page.Keys[1].CreationDate, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1764380000123)));
            Assert.That(page.Keys[1].MaterialExpiresOn, Is.Null);
        });
    }

    [Test]
    public async Task Describe_Key_Reads_Seconds_And_Milliseconds_Alike()
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(HttpStatusCode.OK, "{\"key_info\":{\"key_id\":\"" + TransportHarness.KeyId + "\",\"key_state\":\"2\",\"creation_date\":\"1764380000\",\"expiration_time\":1764390000}}")
            .Respond(HttpStatusCode.OK, "{\"key_info\":{\"key_id\":\"" + TransportHarness.KeyId + "\",\"key_state\":\"2\",\"creation_date\":\"1764380000000\",\"expiration_time\":\"1764390000000\",\"keystore_id\":\"ks-1\"}}");
        HttpKmsTransport transport = harness.CreateTransport();

        KeyDetails seconds = await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId));
        KeyDetails milliseconds = await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId));

        Assert.Multiple(() =>
        {
            Assert.That(seconds.CreationDate, Is.EqualTo(milliseconds.CreationDate));
            Assert.That(seconds.MaterialExpiresOn, Is.EqualTo(milliseconds.MaterialExpiresOn));
            Assert.That(milliseconds.KeystoreId, Is.EqualTo("ks-1"));
        });
    }

    [Test]
    public void A_Truncated_Page_Without_A_Next_Marker_Is_A_Malformed_Response()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, """{"keys":[],"key_details":[],"next_marker":"","truncated":"true"}""");

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().ListKeysAsync(new ListKeysRequest()));

        Assert.That(ex!.Message, Does.Contain("next_marker"));
    }

    // The published example: PKCS#1 under a PUBLIC KEY label, CRLF line breaks.
    [TestCase(true, "\r\n")]
    [TestCase(false, "\r\n")]
    [TestCase(true, "\n")]
    [TestCase(false, "\n")]
    public async Task Get_Publickey_Reads_PKCS1_Or_SubjectPublicKeyInfo_Under_PUBLIC_KEY_With_CRLF_Or_LF(bool pkcs1, string newline)
    {
        using var rsa = RSA.Create(2048);
        byte[] der = pkcs1 ? rsa.ExportRSAPublicKey() : rsa.ExportSubjectPublicKeyInfo();
        string pem = PemEncoding.WriteString("PUBLIC KEY", der).ReplaceLineEndings(newline) + newline;
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, string> { ["key_id"] = TransportHarness.KeyId, ["public_key"] = pem }));

        KmsPublicKey key = await harness.CreateTransport().GetPublicKeyAsync(new GetPublicKeyRequest(TransportHarness.KeyId));

        Assert.Multiple(() =>
        {
            Assert.That(key.SubjectPublicKeyInfo.ToArray(), Is.EqualTo(rsa.ExportSubjectPublicKeyInfo()));
            Assert.That(key.Pem, Is.EqualTo(pem));
            Assert.That(key.Fingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))));
            Assert.That(harness.Handler.Requests.Single().Uri.AbsolutePath, Does.EndWith("/kms/get-publickey"));
        });
    }

    [Test]
    public async Task Get_Publickey_Reads_An_EC_SubjectPublicKeyInfo()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, string> { ["key_id"] = TransportHarness.KeyId, ["public_key"] = ec.ExportSubjectPublicKeyInfoPem() }));

        KmsPublicKey key = await harness.CreateTransport().GetPublicKeyAsync(new GetPublicKeyRequest(TransportHarness.KeyId));

        Assert.That(key.SubjectPublicKeyInfo.ToArray(), Is.EqualTo(ec.ExportSubjectPublicKeyInfo()));
    }

    [TestCase("not pem at all")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [TestCase("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void Get_Publickey_Refuses_What_Is_Not_A_Public_Key_As_A_Malformed_Response(string pem)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, string> { ["key_id"] = TransportHarness.KeyId, ["public_key"] = pem }));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().GetPublicKeyAsync(new GetPublicKeyRequest(TransportHarness.KeyId)));

        Assert.That(ex!.Message, Does.Contain("malformed response").And.Contain("public_key"));
    }

    [Test]
    public void A_Response_From_Another_Origin_Is_Refused_With_A_Clear_Error()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody(), configure: response =>
            response.RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://attacker.example:8443/v1.0/p/kms/describe-key"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.That(ex!.Message, Does.Contain("redirected to https://attacker.example:8443").And.Contain("AllowAutoRedirect = false"));
        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1), "not retried");
    }

    [Test]
    public async Task A_Response_From_The_Same_Origin_Is_Accepted()
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody(), configure: response =>
            response.RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://KMS.eu-de.otc.t-systems.com:443/v1.0/other"));

        KeyDetails details = await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId));

        Assert.That(details.KeyId, Is.EqualTo(TransportHarness.KeyId));
    }
}
