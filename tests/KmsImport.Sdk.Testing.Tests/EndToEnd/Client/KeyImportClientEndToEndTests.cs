using KmsImport.Sdk.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Client;

/// <summary>The whole stack: KeyImportClient over the HTTPS transport over loopback to the served emulator.</summary>
[CancelAfter(300_000)]
public class KeyImportClientEndToEndTests
{
    [Test]
    public async Task An_Import_Whose_Answer_Is_Lost_After_Processing_Is_One_Success()
    {
        await using LocalKmsServer server = await LocalKmsServer.StartAsync();
        var services = new ServiceCollection();
        services.AddKeyImportClient(new AccessKeyCredential(server.AccessKey, server.SecretKey), options =>
        {
            options.Endpoint = server.BaseAddress;
            options.ProjectId = server.ProjectId;
            options.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
            options.Retry.AttemptTimeout = TimeSpan.FromSeconds(60);
            options.Retry.TotalTimeout = TimeSpan.FromSeconds(150);
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IKeyImportClient client = provider.GetRequiredService<IKeyImportClient>();

        server.Faults.Add(LocalKmsFaultKind.DropConnection, "import-key-material", timing: LocalKmsFaultTiming.AfterProcessing);
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult result = await client.CreateKeyAndImportAsync(new CreateKeyRequest("whole-stack"), material);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result.MaterialFingerprint, Is.EqualTo(material.ComputeFingerprint()));
            Assert.That(server.Kms.GetImportedMaterialFingerprint(result.KeyId), Is.EqualTo(material.ComputeFingerprint()));
            Assert.That(server.Kms.GetImportCount(result.KeyId), Is.EqualTo(1));
            Assert.That(server.GetRequestCount("import-key-material"), Is.EqualTo(1));
        });
    }
}
