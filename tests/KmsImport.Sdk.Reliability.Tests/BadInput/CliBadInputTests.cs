using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.BadInput;

/// <summary>
/// Bad input to the real <c>kms-import</c> process: exit code 2, one line on stderr that says what is
/// wrong and how to fix it, no stack trace, no output file, and not one connection to the endpoint
/// (a canary port that counts connections).
/// </summary>
[NonParallelizable]
public sealed class CliBadInputTests : ReliabilityTest
{
    private const string ValidKeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";

    private static readonly Dictionary<string, (Func<BadInputFiles, string[]> Arguments, string[] Keywords)> s_cases = new()
    {
        ["wrap: empty wrapping key file"] = (f => ["wrap", "--wrapping-key", f["empty.bin"], "--material", f["aes256.bin"], "--out", f["out.bin"]], ["wrapping", "empty"]),
        ["wrap: wrapping key is not a key"] = (f => ["wrap", "--wrapping-key", f["wrapping-garbage.b64"], "--material", f["aes256.bin"], "--out", f["out.bin"]], ["wrapping", "public key"]),
        ["wrap: 1024-bit wrapping key"] = (f => ["wrap", "--wrapping-key", f["wrapping-rsa1024.bin"], "--material", f["aes256.bin"], "--out", f["out.bin"]], ["1024", "2048"]),
        ["wrap: EC wrapping key"] = (f => ["wrap", "--wrapping-key", f["wrapping-ec.bin"], "--material", f["aes256.bin"], "--out", f["out.bin"]], ["RSA"]),
        ["wrap: 31-byte AES material"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--material", f["aes255.bin"], "--spec", "AES_256", "--out", f["out.bin"]], ["32", "31"]),
        ["wrap: 33-byte AES material"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--material", f["aes257.bin"], "--spec", "AES_256", "--out", f["out.bin"]], ["32", "33"]),
        ["wrap: empty material file"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--material", f["empty.bin"], "--out", f["out.bin"]], ["empty|0 bytes|got 0"]),
        ["wrap: oversized material file"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--material", f["oversized.bin"], "--out", f["out.bin"]], ["larger|too large|bytes"]),
        ["wrap: truncated PEM private key"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["rsa2048-truncated.pem"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["private key|PEM"]),
        ["wrap: corrupt PEM private key"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["rsa2048-corrupt.pem"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["private key|PEM"]),
        ["wrap: truncated DER private key"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["rsa2048-truncated.der"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["private key"]),
        ["wrap: encrypted PEM without a password"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["rsa2048-encrypted.pem"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["encrypted", "--password-file"]),
        ["wrap: encrypted PEM with a wrong password"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["rsa2048-encrypted.pem"], "--password-file", f["wrong-password.txt"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["password"]),
        ["wrap: RSA-1024 private key"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["rsa1024.pem"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["1024", "2048"]),
        ["wrap: P-521 private key (spec not importable)"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["ec-p521.pem"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["P-521|P521|521|secp521r1", "P-256|P256|EC_P256"]),
        ["wrap: Ed25519 private key (not importable)"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--private-key", f["ed25519.pem"], "--out", f["out.bin"], "--out-private-key", f["out-pk.der"]], ["RSA|EC"]),
        ["wrap: material file missing"] = (f => ["wrap", "--wrapping-key", f["PublicKey.bin"], "--material", f["no-such-file.bin"], "--out", f["out.bin"]], ["no-such-file.bin", "not exist|not found"]),
        ["import-key: malformed key id"] = (f => ["import-key", "--key-id", "KEY_1", "--material", f["aes256.bin"]], ["key id|key-id", "36"]),
        ["import-key: expiry in the past"] = (f => ["import-key", "--key-id", ValidKeyId, "--material", f["aes256.bin"], "--expires", "2001-01-01T00:00:00Z"], ["future|past"]),
        ["import-key: expiry not understood"] = (f => ["import-key", "--key-id", ValidKeyId, "--material", f["aes256.bin"], "--expires", "tomorrow-ish"], ["--expires|expir"]),
        ["import-key: expiry for a private key"] = (f => ["import-key", "--key-id", ValidKeyId, "--private-key", f["rsa2048.pem"], "--expires", "24h"], ["expir", "private key|asymmetric|symmetric"]),
        ["import-key: both material and private key"] = (f => ["import-key", "--key-id", ValidKeyId, "--material", f["aes256.bin"], "--private-key", f["rsa2048.pem"]], ["--material", "--private-key"]),
        ["import-key: password file with symmetric material"] = (f => ["import-key", "--key-id", ValidKeyId, "--material", f["aes256.bin"], "--password-file", f["password.txt"]], ["--password-file", "--private-key"]),
        ["import-key: encrypted private key, wrong password"] = (f => ["import-key", "--key-id", ValidKeyId, "--private-key", f["rsa2048-encrypted.pem"], "--password-file", f["wrong-password.txt"]], ["password"]),
        ["import: empty token file"] = (f => ["import", "--key-id", ValidKeyId, "--token-file", f["empty.bin"], "--material-file", f["EncryptedKeyMaterial.bin"]], ["token", "empty"]),
        ["import: malformed key id"] = (f => ["import", "--key-id", "../../etc", "--token-file", f["ImportToken.b64"], "--material-file", f["EncryptedKeyMaterial.bin"]], ["key id|key-id"]),
        ["import: material file missing"] = (f => ["import", "--key-id", ValidKeyId, "--token-file", f["ImportToken.b64"], "--material-file", f["no-such-file.bin"]], ["no-such-file.bin"]),
        ["import-batch: malformed manifest"] = (f => ["import-batch", "--manifest", f["manifest-malformed.json"]], ["manifest"]),
    };

    private BadInputFiles _files = null!;
    private CanaryEndpoint _canary = null!;

    public static IEnumerable<string> CaseNames => s_cases.Keys;

    [OneTimeSetUp]
    public void CreateFiles()
    {
        Assume.That(File.Exists(CliProcess.ToolPath), Is.True, "kms-import.dll is copied beside the tests by the project reference");
        _files = new BadInputFiles();
        _canary = new CanaryEndpoint();
    }

    [OneTimeTearDown]
    public async Task DeleteFiles()
    {
        _files.Dispose();
        await _canary.DisposeAsync();
    }

    [TestCaseSource(nameof(CaseNames))]
    public async Task Bad_Input_Exits_2_With_An_Actionable_Message_And_Sends_Nothing(string name)
    {
        (Func<BadInputFiles, string[]> arguments, string[] keywords) = s_cases[name];
        string[] args = [.. arguments(_files), "--endpoint", _canary.BaseAddress.ToString(), "--project-id", "0123456789abcdef0123456789abcdef"];
        if (args[0] == "wrap")
        {
            // wrap is offline: it takes no connection options.
            args = arguments(_files);
        }

        int connectionsBefore = _canary.Connections;
        var environment = new Dictionary<string, string?>
        {
            ["HUAWEICLOUD_SDK_AK"] = "RELIABILITYAK0000001",
            ["HUAWEICLOUD_SDK_SK"] = s_cliSecretKey,
        };

        CliProcess.Result result = await CliProcess.RunAsync(args, environment);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), $"exit code; stderr: {result.StandardError}");
            Assert.That(result.StandardError.Trim(), Does.StartWith("error:"), "an error line first");
            Assert.That(result.StandardError, Does.Not.Contain("   at "), "no stack trace without --verbose");
            Assert.That(result.StandardError.Trim().Split('\n'), Has.Length.LessThanOrEqualTo(2), "one error line (and at most a usage hint)");
            foreach (string keyword in keywords)
            {
                Assert.That(keyword.Split('|').Any(k => result.StandardError.Contains(k, StringComparison.OrdinalIgnoreCase)), Is.True, $"the message mentions {keyword}: {result.StandardError}");
            }

            Assert.That(_canary.Connections, Is.EqualTo(connectionsBefore), "no connection to the endpoint");
            Assert.That(File.Exists(_files["out.bin"]), Is.False, "no partial output file");
            Assert.That(File.Exists(_files["out-pk.der"]), Is.False, "no partial output file");
        });
        BadInputTally.Record("cli", name);
    }

    [Test]
    public void At_Least_Twenty_Cli_Cases() => Assert.That(s_cases, Has.Count.GreaterThanOrEqualTo(20));

    private static readonly string s_cliSecretKey = CreateSecretKey();

    private static string CreateSecretKey()
    {
        string sk = "SK" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(19));
        SecretAudit.Secrets.Add(sk);
        return sk;
    }
}
