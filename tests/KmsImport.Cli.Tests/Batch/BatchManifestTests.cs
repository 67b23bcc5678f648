using KmsImport.Cli.Batch;

namespace KmsImport.Cli.Tests.Batch;

[TestFixture]
[CancelAfter(30_000)]
public sealed class BatchManifestTests
{
    private static BatchManifest Load(TempDirectory dir, string json)
    {
        File.WriteAllText(dir.File("manifest.json"), json);
        return BatchManifest.Load(dir.File("manifest.json"), new CliContext(TextWriter.Null, TextWriter.Null, _ => null));
    }

    [Test]
    public void Paths_Are_Relative_To_The_Manifest_And_Fields_Are_Read()
    {
        using var dir = new TempDirectory();
        BatchManifest manifest = Load(dir, """
            {
              // comments and trailing commas are fine
              "maxConcurrency": 3,
              "keys": [
                { "keyId": "k1", "material": "aes.bin", "spec": "HMAC_256", "expires": "30d" },
                { "keyId": "k2", "privateKey": "sub/rsa.pem", "passwordFile": "rsa.pass" },
              ]
            }
            """);

        Assert.That(manifest.MaxConcurrency, Is.EqualTo(3));
        Assert.That(manifest.Keys, Has.Count.EqualTo(2));
        Assert.That(manifest.Keys[0].MaterialPath, Is.EqualTo(dir.File("aes.bin")));
        Assert.That(manifest.Keys[0].Spec?.ToString(), Is.EqualTo("HMAC_256"));
        Assert.That(manifest.Keys[0].Expiry.IsNever, Is.False);
        Assert.That(manifest.Keys[1].PrivateKeyPath, Is.EqualTo(Path.Combine(dir.Path, "sub", "rsa.pem")));
        Assert.That(manifest.Keys[1].PasswordPath, Is.EqualTo(dir.File("rsa.pass")));
    }

    [Test]
    public void Entries_May_Create_Keys_By_Alias_At_Their_Own_Targets_And_Share_A_File()
    {
        using var dir = new TempDirectory();
        BatchManifest manifest = Load(dir, """
            { "keys": [
              { "alias": "payments", "spec": "AES_256", "usage": "ENCRYPT_DECRYPT", "description": "migrated", "material": "aes.bin", "region": "eu-de", "cloud": "otc", "projectId": "p1" },
              { "alias": "payments", "spec": "AES_256", "material": "aes.bin", "region": "cn-north-4" },
              { "keyId": "k1", "material": "aes.bin", "endpoint": "http://127.0.0.1:5080" }
            ] }
            """);

        Assert.That(manifest.Keys[0].Alias, Is.EqualTo("payments"));
        Assert.That(manifest.Keys[0].Usage?.ToString(), Is.EqualTo("ENCRYPT_DECRYPT"));
        Assert.That(manifest.Keys[0].Description, Is.EqualTo("migrated"));
        Assert.That(manifest.Keys[0].Target, Is.EqualTo(new BatchTargetFields(null, "eu-de", "otc", "p1")));
        Assert.That(manifest.Keys[1].Target, Is.EqualTo(new BatchTargetFields(null, "cn-north-4", null, null)));
        Assert.That(manifest.Keys[2].Target.Endpoint, Is.EqualTo("http://127.0.0.1:5080"));
        Assert.That(manifest.Keys.Select(k => k.MaterialPath).Distinct().Count(), Is.EqualTo(1));
    }

    [TestCase("[]", "\"keys\" array")]
    [TestCase("{\"keys\":[]}", "empty")]
    [TestCase("{\"keys\":[{\"material\":\"a\"}]}", "keys[0] needs exactly one of \"keyId\"")]
    [TestCase("{\"keys\":[{\"keyId\":\"k\",\"alias\":\"a\",\"material\":\"a\"}]}", "exactly one of \"keyId\"")]
    [TestCase("{\"keys\":[{\"keyId\":\"k\",\"material\":\"a\",\"usage\":\"ENCRYPT_DECRYPT\"}]}", "go with \"alias\"")]
    [TestCase("{\"keys\":[{\"alias\":\"bad alias\",\"material\":\"a\"}]}", "alias 'bad alias' is not valid")]
    [TestCase("{\"keys\":[{\"alias\":\"a\",\"material\":\"a\",\"cloud\":\"aws\"}]}", "\"cloud\" must be")]
    [TestCase("{\"keys\":[{\"alias\":\"a\",\"material\":\"a\",\"endpoint\":\"https://x\",\"region\":\"eu-de\"}]}", "not both")]
    [TestCase("{\"keys\":[{\"alias\":\"a\",\"material\":\"a\",\"region\":\"eu-de\"},{\"alias\":\"a\",\"material\":\"a\",\"region\":\"eu-de\"}]}", "alias a appears twice")]
    [TestCase("{\"keys\":[{\"keyId\":\"k\"}]}", "exactly one of")]
    [TestCase("{\"keys\":[{\"keyId\":\"k\",\"material\":\"a\",\"privateKey\":\"b\"}]}", "exactly one of")]
    [TestCase("{\"keys\":[{\"keyId\":\"k\",\"material\":\"a\"},{\"keyId\":\"k\",\"material\":\"b\"}]}", "appears twice")]
    [TestCase("{\"keys\":[{\"keyId\":\"k\",\"privateKey\":\"a\",\"expires\":\"1d\"}]}", "never expire")]
    [TestCase("{\"keys\":[{\"keyId\":\"k\",\"material\":\"a\",\"expires\":\"soon\"}]}", "keys[0]")]
    [TestCase("{\"maxConcurrency\":0,\"keys\":[{\"keyId\":\"k\",\"material\":\"a\"}]}", "maxConcurrency")]
    [TestCase("{\"keys\":[", "not valid JSON")]
    public void Bad_Manifests_Say_What_Is_Wrong(string json, string expected)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<CliUsageException>(() => Load(dir, json));
        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
