using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using KmsImport.Sdk.Testing;

namespace KmsImport.Sdk.Reliability.Tests.Hardening;

/// <summary>Issue 14 over the real kms-import process: files, inputs, service text and key ids as users and hostile peers meet them.</summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(300_000)]
public sealed class CliHardeningTests
{
    private ServedKms _served = null!;
    private string _dir = null!;

    private Dictionary<string, string?> Env => new()
    {
        ["HUAWEICLOUD_SDK_AK"] = _served.Server.AccessKey,
        ["HUAWEICLOUD_SDK_SK"] = _served.Server.SecretKey,
        ["HUAWEICLOUD_SDK_PROJECT_ID"] = _served.Server.ProjectId,
    };

    private string Endpoint => _served.Server.BaseAddress.ToString().TrimEnd('/');

    [OneTimeSetUp]
    public async Task Start() => _served = await ServedKms.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _served.DisposeAsync();

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("kms-import-hardening-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    private async Task<string> CreateKeyAsync(KeySpec spec) => (await _served.Kms.CreateKeyAsync(new CreateKeyRequest($"h-{Guid.NewGuid():N}") { KeySpec = spec })).KeyId;

    private static Task<string> OpenSslAsync(string directory, params string[] args) => OpenSsl.RunAsync(directory, args);

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Get_Parameters_Creates_Every_File_Owner_Only_Even_Under_Umask_000()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes");
        }

        string keyId = await CreateKeyAsync(KeySpec.Aes256);
        CliProcess.Result run = await CliProcess.RunAsync(["get-parameters", "--key-id", keyId, "--out-dir", _dir, "--endpoint", Endpoint], Env, umask: "000");
        Assert.That(run.ExitCode, Is.Zero, run.StandardError);

        // Replacing an existing world-readable file gives the owner-only mode too.
        File.WriteAllText(F("EncryptedKeyMaterial.bin"), "old");
        File.SetUnixFileMode(F("EncryptedKeyMaterial.bin"), (UnixFileMode)0b110_110_110);
        File.WriteAllBytes(F("material.bin"), RandomNumberGenerator.GetBytes(32));
        CliProcess.Result wrap = await CliProcess.RunAsync(["wrap", "--wrapping-key", F("PublicKey.bin"), "--material", F("material.bin"), "--out", F("EncryptedKeyMaterial.bin")], Env, umask: "000");
        Assert.That(wrap.ExitCode, Is.Zero, wrap.StandardError);

        Assert.Multiple(() =>
        {
            foreach (string name in new[] { "ImportToken.b64", "PublicKey.b64", "PublicKey.bin", "EncryptedKeyMaterial.bin" })
            {
                Assert.That(File.GetUnixFileMode(F(name)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), name);
            }

            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Has.None.StartsWith("."), "no temporary file left");
        });
    }

    [Test]
    public async Task A_Failed_Last_Move_Puts_Back_The_Files_That_Were_There()
    {
        Assume.That(Environment.UserName == "root" && File.Exists("/usr/bin/chattr"), "needs chattr +i, which even root cannot write through");
        string keyId = await CreateKeyAsync(KeySpec.Aes256);
        File.WriteAllText(F("PublicKey.b64"), "old public key b64");
        File.WriteAllText(F("PublicKey.bin"), "old public key bin");
        File.WriteAllText(F("ImportToken.b64"), "old token");
        await RunChattr("+i", F("ImportToken.b64"));
        try
        {
            CliProcess.Result run = await CliProcess.RunAsync(["get-parameters", "--key-id", keyId, "--out-dir", _dir, "--endpoint", Endpoint], Env);
            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.Not.Zero, "the last move fails");
                Assert.That(File.ReadAllText(F("PublicKey.b64")), Is.EqualTo("old public key b64"), "restored, not deleted");
                Assert.That(File.ReadAllText(F("PublicKey.bin")), Is.EqualTo("old public key bin"), "restored, not deleted");
                Assert.That(File.ReadAllText(F("ImportToken.b64")), Is.EqualTo("old token"));
                Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Has.None.StartsWith("."), "no temporary or backup file left");
            });
        }
        finally
        {
            await RunChattr("-i", F("ImportToken.b64"));
        }
    }

    private static async Task RunChattr(string flag, string path)
    {
        using var process = Process.Start("chattr", [flag, path]);
        await process.WaitForExitAsync();
        Assume.That(process.ExitCode, Is.Zero, "chattr works on this file system");
    }

    [TestCase("\n", 64)]
    [TestCase("\r\n", 76)]
    [TestCase("", 0)]
    public async Task Import_Reads_Token_And_Material_Wrapped_As_OpenSsl_Writes_Them(string newline, int width)
    {
        string keyId = await CreateKeyAsync(KeySpec.Aes256);
        Assert.That((await CliProcess.RunAsync(["get-parameters", "--key-id", keyId, "--out-dir", _dir, "--endpoint", Endpoint], Env)).ExitCode, Is.Zero);

        // 32 raw bytes that are all Base64 characters: the length AES_256 expects decides, so they are raw material.
        byte[] material = Encoding.ASCII.GetBytes("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==");
        File.WriteAllBytes(F("PlaintextKeyMaterial.bin"), material);
        CliProcess.Result wrap = await CliProcess.RunAsync(["wrap", "--wrapping-key", F("PublicKey.bin"), "--material", F("PlaintextKeyMaterial.bin"), "--spec", "AES_256", "--out", F("EncryptedKeyMaterial.bin")], Env);
        Assert.That(wrap.ExitCode, Is.Zero, wrap.StandardError);

        File.WriteAllText(F("token.txt"), Wrap(File.ReadAllText(F("ImportToken.b64")).Trim(), width, newline));
        File.WriteAllText(F("material.b64"), Wrap(Convert.ToBase64String(File.ReadAllBytes(F("EncryptedKeyMaterial.bin"))), width, newline));
        CliProcess.Result import = await CliProcess.RunAsync(["import", "--key-id", keyId, "--token-file", F("token.txt"), "--material-file", F("material.b64"), "--endpoint", Endpoint], Env);
        Assert.That(import.ExitCode, Is.Zero, import.StandardError);
        Assert.That(_served.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(material))));
    }

    [Test]
    public async Task Import_Reads_Material_Encoded_By_OpenSsl_Base64()
    {
        string keyId = await CreateKeyAsync(KeySpec.Aes256);
        Assert.That((await CliProcess.RunAsync(["get-parameters", "--key-id", keyId, "--out-dir", _dir, "--endpoint", Endpoint], Env)).ExitCode, Is.Zero);
        byte[] material = RandomNumberGenerator.GetBytes(32);
        File.WriteAllBytes(F("PlaintextKeyMaterial.bin"), material);
        await OpenSslAsync(_dir, "pkeyutl", "-encrypt", "-in", "PlaintextKeyMaterial.bin", "-inkey", "PublicKey.bin", "-keyform", "DER", "-pubin", "-out", "EncryptedKeyMaterial.bin", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        await OpenSslAsync(_dir, "base64", "-in", "EncryptedKeyMaterial.bin", "-out", "EncryptedKeyMaterial.b64");
        Assert.That(File.ReadAllText(F("EncryptedKeyMaterial.b64")).Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(1), "openssl wraps at 64 columns");
        CliProcess.Result import = await CliProcess.RunAsync(["import", "--key-id", keyId, "--token-file", F("ImportToken.b64"), "--material-file", F("EncryptedKeyMaterial.b64"), "--endpoint", Endpoint], Env);
        Assert.That(import.ExitCode, Is.Zero, import.StandardError);
        Assert.That(_served.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(material))));
    }

    [Test]
    public async Task A_Token_File_That_Is_Not_Base64_Text_Is_Refused_Naming_The_File_Before_Any_Request()
    {
        File.WriteAllBytes(F("ImportToken.b64"), [0x41, 0x42, 0x00, 0xFF, 0x10, 0x0A]);
        File.WriteAllBytes(F("EncryptedKeyMaterial.bin"), RandomNumberGenerator.GetBytes(256));
        CliProcess.Result run = await CliProcess.RunAsync(["import", "--key-id", "0d0466b0-e727-4d9c-b35d-f84bb474a37f", "--token-file", F("ImportToken.b64"), "--material-file", F("EncryptedKeyMaterial.bin"), "--endpoint", "http://127.0.0.1:1"], Env);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.StandardError);
        Assert.That(run.StandardError, Does.Contain($"--token-file {F("ImportToken.b64")}").And.Contain("Base64 text").And.Contain("line 1"));
        Assert.That(run.StandardError, Does.Not.Contain("network"));
    }

    [Test]
    public async Task Wrap_Loads_A_Key_Encrypted_With_The_Empty_Password_And_Refuses_Secp256k1_With_The_Reason()
    {
        await OpenSslAsync(_dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "wrapping.pem");
        await OpenSslAsync(_dir, "pkey", "-in", "wrapping.pem", "-pubout", "-outform", "DER", "-out", "PublicKey.bin");
        await OpenSslAsync(_dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem");
        await OpenSslAsync(_dir, "pkcs8", "-topk8", "-in", "ec.pem", "-v2", "aes-256-cbc", "-passout", "pass:", "-out", "ec-empty-password.pem");
        await OpenSslAsync(_dir, "ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "k1.pem");

        CliProcess.Result empty = await CliProcess.RunAsync(["wrap", "--wrapping-key", F("PublicKey.bin"), "--private-key", F("ec-empty-password.pem"), "--out", F("a.bin"), "--out-private-key", F("a.der")], Env);
        Assert.That(empty.ExitCode, Is.Zero, empty.StandardError);
        Assert.That(empty.StandardOutput, Does.Contain("EC_P256"));

        CliProcess.Result k1 = await CliProcess.RunAsync(["wrap", "--wrapping-key", F("PublicKey.bin"), "--private-key", F("k1.pem"), "--out", F("b.bin"), "--out-private-key", F("b.der")], Env);
        Assert.That(k1.ExitCode, Is.EqualTo(2), k1.StandardError);
        Assert.That(k1.StandardError, Does.Contain("SECP256K1").And.Contain("cannot be imported"));
        Assert.That(File.Exists(F("b.bin")) || File.Exists(F("b.der")), Is.False, "nothing wrapped");
    }

    [Test]
    public async Task A_200_KB_Service_Message_With_Escapes_And_Line_Breaks_Reaches_The_Terminal_Bounded_And_Clean()
    {
        string message = "key is \u001b[31mRED\u001b[0m\r\nFAKE: import succeeded\u001b]0;title\u0007 " + new string('x', 200_000);
        byte[] body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { error = new { error_code = "KMS.0201", error_msg = message } }));
        await using var peer = CannedHttpServer.Start(_ => (400, body));
        CliProcess.Result run = await CliProcess.RunAsync(["describe", "--key-id", "0d0466b0-e727-4d9c-b35d-f84bb474a37f", "--endpoint", peer.Endpoint], Env);
        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.Multiple(() =>
        {
            // Ordinal: a culture-aware Contains ignores control characters and would find them anywhere.
            Assert.That(run.StandardError.Contains('\u001b', StringComparison.Ordinal), Is.False, "no escape character");
            Assert.That(run.StandardError.Contains('\r', StringComparison.Ordinal), Is.False, "no carriage return");
            Assert.That(run.StandardError.Contains('\u0007', StringComparison.Ordinal), Is.False, "no bell");
            Assert.That(run.StandardError.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(run.StandardError.Length, Is.LessThan(1000), "bounded");
            Assert.That(run.StandardError, Does.Contain("...").And.Contain($"({message.Length} characters)"));
            Assert.That(run.StandardError, Does.Contain("request id " + CannedHttpServer.RequestId));
            Assert.That(run.StandardError, Does.Contain("KMS.0201").And.Contain("key is RED"));
        });
    }

    [Test]
    public async Task Parameters_For_Another_Key_Are_Refused_And_Nothing_Is_Written()
    {
        string otherKey = await CreateKeyAsync(KeySpec.Aes256);
        ImportParameters parameters = await _served.Kms.GetParametersForImportAsync(new GetParametersForImportRequest(otherKey));
        byte[] body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["key_id"] = otherKey,
            ["public_key"] = parameters.WrappingKey.ToBase64(),
            ["import_token"] = parameters.ImportToken,
            ["expiration_time"] = parameters.ExpiresOn.ToUnixTimeSeconds(),
        }));
        await using var peer = CannedHttpServer.Start(_ => (200, body));
        string asked = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";
        CliProcess.Result run = await CliProcess.RunAsync(["get-parameters", "--key-id", asked, "--out-dir", _dir, "--endpoint", peer.Endpoint], Env);
        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.StandardError, Does.Contain($"is for key {otherKey}, not for the key asked for ({asked})"));
        Assert.That(Directory.GetFiles(_dir), Is.Empty, "nothing written");
    }

    [Test]
    public async Task Cancelling_Import_Key_After_The_Import_Request_Was_Sent_Says_The_Outcome_Is_Unknown()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "SIGINT");
        string keyId = await CreateKeyAsync(KeySpec.Aes256);
        File.WriteAllBytes(F("material.bin"), RandomNumberGenerator.GetBytes(32));
        LocalKmsFault slow = _served.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "import-key-material", Latency = TimeSpan.FromSeconds(60) });
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { CliProcess.ToolPath, "import-key", "--key-id", keyId, "--material", F("material.bin"), "--spec", "AES_256", "--endpoint", Endpoint })
            {
                start.ArgumentList.Add(a);
            }

            foreach ((string name, string? value) in Env)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Assert.That(await HandleCounter.EventuallyAsync(() => slow.Triggered == 1, TimeSpan.FromSeconds(60)), Is.True, "the import request reached the server");
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(limit.Token);
            string error = await stderr;
            await stdout;
            SecretAudit.Texts.Add("cli.stderr", error);
            Assert.That(process.ExitCode, Is.Not.Zero);
            Assert.That(error, Does.Contain("after the import request was sent; its outcome is unknown").And.Contain($"kms-import describe --key-id {keyId}"));
        }
        finally
        {
            _served.Server.Faults.Clear();
        }
    }

    [Test]
    public void Disposing_Material_While_Wraps_Run_Never_Wraps_Partly_Zeroed_Bytes()
    {
        using RSA wrappingPair = RSA.Create(2048);
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(wrappingPair.ExportSubjectPublicKeyInfo());
        int wrapped = 0;
        int refused = 0;
        for (int round = 0; round < 200; round++)
        {
            byte[] original = RandomNumberGenerator.GetBytes(64);
            var material = KeyMaterial.FromSymmetricKey(original, KeySpec.Hmac512);
            var ciphertexts = new System.Collections.Concurrent.ConcurrentBag<byte[]>();
            using var go = new Barrier(5);
            Task[] wraps = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                go.SignalAndWait();
                for (int i = 0; i < 5; i++)
                {
                    try
                    {
                        ciphertexts.Add(KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.RsaesOaepSha256).EncryptedKeyMaterial.ToArray());
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            })).ToArray();
            go.SignalAndWait();
            material.Dispose();
            Task.WaitAll(wraps);
            foreach (byte[] ciphertext in ciphertexts)
            {
                Assert.That(wrappingPair.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA256), Is.EqualTo(original), "a wrap completes with the whole material");
                wrapped++;
            }
        }

        TestContext.Out.WriteLine($"wrapped {wrapped}, refused (ObjectDisposedException) {refused}");
        Assert.That(wrapped + refused, Is.EqualTo(200 * 4 * 5));
        Assert.That(refused, Is.GreaterThan(0), "Dispose raced the wraps");
    }

    /// <summary>A loopback HTTP/1.1 server that answers every request with the same canned response.</summary>
    private sealed class CannedHttpServer : IAsyncDisposable
    {
        public const string RequestId = "canned-request-0001";

        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private CannedHttpServer(Func<string, (int Status, byte[] Body)> answer)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _loop = Task.Run(() => LoopAsync(answer));
        }

        public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public static CannedHttpServer Start(Func<string, (int Status, byte[] Body)> answer) => new(answer);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }

            _listener.Dispose();
            _stop.Dispose();
        }

        private async Task LoopAsync(Func<string, (int Status, byte[] Body)> answer)
        {
            while (!_stop.IsCancellationRequested)
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                await using NetworkStream stream = client.GetStream();
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, _stop.Token) == 1)
                {
                    head.Append((char)one[0]);
                }

                string requestHead = head.ToString();
                int length = requestHead.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(l => int.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                byte[] requestBody = new byte[length];
                await stream.ReadExactlyAsync(requestBody, _stop.Token);
                (int status, byte[] body) = answer(requestHead);
                byte[] responseHead = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nX-Request-Id: {RequestId}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(responseHead, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
        }
    }

    private static string Wrap(string base64, int width, string newline)
    {
        if (width == 0)
        {
            return base64 + newline;
        }

        var builder = new StringBuilder();
        for (int i = 0; i < base64.Length; i += width)
        {
            builder.Append(base64.AsSpan(i, Math.Min(width, base64.Length - i))).Append(newline);
        }

        return builder.ToString();
    }
}
