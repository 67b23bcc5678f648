using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Testing.Tests.Server;

[CancelAfter(300_000)]
public class LocalKmsServerTests
{
    private LocalKmsServer _server = null!;
    private HttpClient _http = null!;
    private RawKmsClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        var options = new LocalKmsServerOptions();
        options.AuthTokens["valid-token"] = DateTimeOffset.UtcNow.AddHours(1);
        options.AuthTokens["expired-token"] = DateTimeOffset.UtcNow.AddHours(-1);
        _server = await LocalKmsServer.StartAsync(options);
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _client = new RawKmsClient(_server, _http);
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public void Listens_On_An_Ephemeral_Loopback_Port()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_server.BaseAddress.Scheme, Is.EqualTo("http"));
            Assert.That(IPAddress.IsLoopback(IPAddress.Parse(_server.BaseAddress.Host)), Is.True);
            Assert.That(_server.BaseAddress.Port, Is.GreaterThan(0));
            Assert.That(_server.ProjectId, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(_server.AccessKey, Has.Length.EqualTo(20));
            Assert.That(_server.SecretKey, Has.Length.EqualTo(40));
        });
    }

    [Test]
    public async Task Every_Operation_Over_The_Wire_With_A_Signed_Request()
    {
        RawResponse created = await _client.SendAsync("create-key", new { key_alias = "wire-key", origin = "external", key_spec = "AES_256" });
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.OK), created.Text);
        Assert.That(created.RequestId, Does.Match("^[0-9a-f]{32}$"));
        string keyId = created.Json["key_info"]!["key_id"]!.GetValue<string>();
        Assert.That(created.Json["key_info"]!["domain_id"]!.GetValue<string>(), Is.EqualTo(_server.Kms.DomainId));

        RawResponse parameters = await _client.SendAsync("get-parameters-for-import", new { key_id = keyId, wrapping_algorithm = "RSAES_OAEP_SHA_256" });
        Assert.That(parameters.Status, Is.EqualTo(HttpStatusCode.OK), parameters.Text);
        JsonNode json = parameters.Json;
        Assert.Multiple(() =>
        {
            Assert.That(json["key_id"]!.GetValue<string>(), Is.EqualTo(keyId));
            Assert.That(json["import_token"]!.GetValue<string>(), Does.Match("^[0-9a-zA-Z+/=]{200,6144}$"));
            Assert.That(json["expiration_time"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number));
            Assert.That(json["expiration_time"]!.GetValue<long>(), Is.EqualTo(DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds()).Within(120));
        });

        var wrappingKey = WrappingPublicKey.FromBase64(json["public_key"]!.GetValue<string>());
        using KeyMaterial material = LocalKmsTestKit.RandomSymmetric(KeySpec.Aes256);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.RsaesOaepSha256);
        long expires = DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds();
        RawResponse imported = await _client.SendAsync("import-key-material", new { key_id = keyId, import_token = json["import_token"]!.GetValue<string>(), encrypted_key_material = wrapped.EncryptedKeyMaterialBase64, expiration_time = expires });
        Assert.That(imported.Status, Is.EqualTo(HttpStatusCode.OK), imported.Text);
        Assert.That(imported.Text, Is.EqualTo("{}"));
        Assert.That(_server.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));

        RawResponse described = await _client.SendAsync("describe-key", new { key_id = keyId });
        JsonNode info = described.Json["key_info"]!;
        Assert.Multiple(() =>
        {
            Assert.That(info["key_state"]!.GetValue<string>(), Is.EqualTo("2"));
            Assert.That(info["origin"]!.GetValue<string>(), Is.EqualTo("external"));
            Assert.That(info["key_spec"]!.GetValue<string>(), Is.EqualTo("AES_256"));
            Assert.That(info["creation_date"]!.GetValue<string>(), Does.Match("^[0-9]{13}$"));
            Assert.That(info["expiration_time"]!.GetValue<string>(), Is.EqualTo((expires * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(info["scheduled_deletion_date"]!.GetValue<string>(), Is.Empty);
        });

        RawResponse deleted = await _client.SendAsync("delete-imported-key-material", new { key_id = keyId });
        Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.OK), deleted.Text);
        Assert.That(deleted.Body, Is.Empty);
        Assert.That((await _client.SendAsync("describe-key", new { key_id = keyId })).Json["key_info"]!["key_state"]!.GetValue<string>(), Is.EqualTo("5"));
    }

    [Test]
    public async Task Service_Errors_Use_The_Kms_Error_Shape_And_Carry_The_Request_Id()
    {
        RawResponse response = await _client.SendAsync("describe-key", new { key_id = Guid.NewGuid().ToString() });
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.KmsErrorCode, Is.EqualTo("KMS.0207"));
            Assert.That(response.Json["error"]!["error_msg"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(response.RequestId, Does.Match("^[0-9a-f]{32}$"));
        });

        RawResponse malformedId = await _client.SendAsync("describe-key", new { key_id = "nope" });
        Assert.That(malformedId.KmsErrorCode, Is.EqualTo("KMS.0205"));
    }

    [Test]
    public async Task Malformed_Bodies_Are_Invalid_Parameters()
    {
        RawResponse notJson = await _client.SendAsync("create-key", Encoding.UTF8.GetBytes("{not json"));
        RawResponse array = await _client.SendAsync("create-key", Encoding.UTF8.GetBytes("[]"));
        RawResponse wrongType = await _client.SendAsync("describe-key", new { key_id = 42 });
        RawResponse badExpiry = await _client.SendAsync("import-key-material", new { key_id = Guid.NewGuid().ToString(), import_token = "x", encrypted_key_material = "x", expiration_time = "tomorrow" });
        Assert.Multiple(() =>
        {
            foreach (RawResponse response in new[] { notJson, array, wrongType, badExpiry })
            {
                Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest), response.Text);
                Assert.That(response.KmsErrorCode, Is.EqualTo("KMS.0201"), response.Text);
            }
        });
    }

    [Test]
    public async Task Missing_Key_Id_Is_KMS_0205()
    {
        RawResponse response = await _client.SendAsync("describe-key", new { });
        Assert.That(response.KmsErrorCode, Is.EqualTo("KMS.0205"));
    }

    [Test]
    public async Task Expiration_Time_As_A_Digit_String_Is_Accepted()
    {
        string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(_server.Kms, KeySpec.Aes256);
        ImportParameters parameters = await _server.Kms.GetParametersForImportAsync(new(keyId));
        using KeyMaterial material = LocalKmsTestKit.RandomSymmetric(KeySpec.Aes256);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, parameters.WrappingKey, parameters.WrappingAlgorithm);
        string expires = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        RawResponse response = await _client.SendAsync("import-key-material", new { key_id = keyId, import_token = parameters.ImportToken, encrypted_key_material = wrapped.EncryptedKeyMaterialBase64, expiration_time = expires });
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
    }

    [Test]
    public async Task Wrong_Signature_Is_APIG_0301_In_The_Gateway_Shape()
    {
        _client.SecretKey = "not-the-secret";
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" });
        AssertGatewayError(response, HttpStatusCode.Unauthorized, "APIG.0301");
        Assert.That(_server.Kms.KeyCount, Is.Zero);
    }

    [Test]
    public async Task Body_Changed_After_Signing_Is_APIG_0301()
    {
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" }, request => request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"key_alias\":\"other\"}")));
        AssertGatewayError(response, HttpStatusCode.Unauthorized, "APIG.0301");
    }

    [Test]
    public async Task Unknown_Access_Key_Is_APIG_0301()
    {
        _client.AccessKey = "UNKNOWNACCESSKEY0000";
        AssertGatewayError(await _client.SendAsync("create-key", new { key_alias = "k" }), HttpStatusCode.Unauthorized, "APIG.0301");
    }

    [Test]
    public async Task Missing_Or_Malformed_Authorization_Is_APIG_0301()
    {
        AssertGatewayError(await _client.SendAsync("create-key", new { key_alias = "k" }, sign: false), HttpStatusCode.Unauthorized, "APIG.0301");
        AssertGatewayError(
            await _client.SendAsync("create-key", new { key_alias = "k" }, request =>
            {
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc");
            }),
            HttpStatusCode.Unauthorized,
            "APIG.0301");
        AssertGatewayError(
            await _client.SendAsync("create-key", new { key_alias = "k" }, request => request.Headers.Remove("X-Sdk-Date")),
            HttpStatusCode.Unauthorized,
            "APIG.0301");
    }

    [TestCase(-16)]
    [TestCase(16)]
    public async Task Sdk_Date_More_Than_15_Minutes_Off_Is_APIG_0303(int minutes)
    {
        _client.Clock = () => DateTimeOffset.UtcNow.AddMinutes(minutes);
        AssertGatewayError(await _client.SendAsync("create-key", new { key_alias = "k" }), HttpStatusCode.Unauthorized, "APIG.0303");
    }

    [Test]
    public async Task Sdk_Date_Within_15_Minutes_Is_Accepted()
    {
        _client.Clock = () => DateTimeOffset.UtcNow.AddMinutes(-14);
        Assert.That((await _client.SendAsync("create-key", new { key_alias = "k" })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Another_Project_Id_Is_Refused()
    {
        _client.ProjectId = "0123456789abcdef0123456789abcdef";
        AssertGatewayError(await _client.SendAsync("create-key", new { key_alias = "k" }), HttpStatusCode.Unauthorized, "APIG.0301");
        Assert.That(_server.Kms.KeyCount, Is.Zero);
    }

    [Test]
    public async Task Auth_Tokens_Valid_Unknown_And_Expired()
    {
        RawResponse valid = await _client.SendAsync("create-key", new { key_alias = "k" }, r => r.Headers.Add("X-Auth-Token", "valid-token"), sign: false);
        RawResponse unknown = await _client.SendAsync("create-key", new { key_alias = "k" }, r => r.Headers.Add("X-Auth-Token", "forged-token"), sign: false);
        RawResponse expired = await _client.SendAsync("create-key", new { key_alias = "k" }, r => r.Headers.Add("X-Auth-Token", "expired-token"), sign: false);
        Assert.Multiple(() =>
        {
            Assert.That(valid.Status, Is.EqualTo(HttpStatusCode.OK), valid.Text);
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(unknown.KmsErrorCode, Is.EqualTo("KMS.0301"));
            Assert.That(expired.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(expired.KmsErrorCode, Is.EqualTo("KMS.0303"));
            Assert.That(_server.Kms.KeyCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Unknown_Paths_And_Methods_Are_Gateway_Errors_With_A_Request_Id()
    {
        using HttpResponseMessage unknown = await _http.PostAsync(new Uri(_server.BaseAddress, $"v1.0/{_server.ProjectId}/kms/encrypt-data"), new StringContent("{}"));
        using HttpResponseMessage get = await _http.GetAsync(new Uri(_server.BaseAddress, $"v1.0/{_server.ProjectId}/kms/describe-key"));
        Assert.Multiple(() =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(unknown.Headers.Contains("X-Request-Id"), Is.True);
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(get.Headers.Contains("X-Request-Id"), Is.True);
        });
    }

    [Test]
    public async Task Request_Counts_Per_Operation()
    {
        await _client.SendAsync("create-key", new { key_alias = "a" });
        await _client.SendAsync("create-key", new { key_alias = "b" });
        await _client.SendAsync("describe-key", new { key_id = "x" });
        Assert.Multiple(() =>
        {
            Assert.That(_server.GetRequestCount("create-key"), Is.EqualTo(2));
            Assert.That(_server.GetRequestCount("describe-key"), Is.EqualTo(1));
            Assert.That(_server.GetRequestCount("import-key-material"), Is.Zero);
        });
    }

    [Test]
    public async Task Serves_An_Existing_Emulator_Without_Disposing_It()
    {
        using var kms = new LocalKms();
        await using (LocalKmsServer server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { Emulator = kms }))
        {
            var client = new RawKmsClient(server, _http);
            Assert.That((await client.SendAsync("create-key", new { key_alias = "k" })).Status, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(kms.KeyCount, Is.EqualTo(1));
        await kms.CreateKeyAsync(new("still-usable"));
    }

    private static void AssertGatewayError(RawResponse response, HttpStatusCode status, string code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(status), response.Text);
            Assert.That(response.GatewayErrorCode, Is.EqualTo(code), response.Text);
            Assert.That(response.Json["error_msg"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(response.Json["request_id"]!.GetValue<string>(), Is.EqualTo(response.RequestId));
            Assert.That(response.RequestId, Is.Not.Null);
        });
    }
}
