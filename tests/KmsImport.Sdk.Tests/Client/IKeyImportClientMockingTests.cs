using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using Moq;

namespace KmsImport.Sdk.Tests.Client;

// Written as a user's unit test (public API only): the one documented way to mock is the interface,
// IKeyImportClient, with Moq. Output models have no positional constructors; KmsImportModelFactory
// builds them with named, optional parameters. The exceptions have public constructors.
[CancelAfter(10_000)]
public class IKeyImportClientMockingTests
{
    [Test]
    public async Task Provisioning_Returns_The_Key_Id_And_Records_The_Fingerprint()
    {
        var client = new Mock<IKeyImportClient>();
        client
            .Setup(c => c.CreateKeyAndImportAsync(
                It.Is<CreateKeyRequest>(r => r.KeyAlias == "tenant-7/data" && r.KeySpec == KeySpec.Aes256),
                It.IsAny<KeyMaterial>(),
                It.IsAny<ImportKeyMaterialOptions?>(),
                It.IsAny<CancellationToken>()))
            .ReturnsAsync(KmsImportModelFactory.KeyImportResult(keyId: "0d0466b0-e727-4d9c-b35d-f84bb474a37f", keyState: KeyState.Enabled, materialFingerprint: "ab12"));
        var audit = new List<string>();
        var service = new TenantKeyProvisioner(client.Object, audit.Add);

        string keyId = await service.ProvisionDataKeyAsync("tenant-7", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(keyId, Is.EqualTo("0d0466b0-e727-4d9c-b35d-f84bb474a37f"));
            Assert.That(audit, Is.EqualTo(new[] { "tenant-7 0d0466b0-e727-4d9c-b35d-f84bb474a37f ab12" }));
        });
        client.Verify(c => c.CreateKeyAndImportAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<KeyMaterial>(), It.IsAny<ImportKeyMaterialOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public void Provisioning_Schedules_Cleanup_Of_A_Key_Left_Pending_Import()
    {
        var client = new Mock<IKeyImportClient>();
        var cause = new KmsRequestFailedException(400, KmsErrorCodes.DecryptionFailed, "decrypt failed", "req-1", "import-key-material");
        client
            .Setup(c => c.CreateKeyAndImportAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<KeyMaterial>(), It.IsAny<ImportKeyMaterialOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new KeyLeftPendingImportException("5e2f8a1c-0000-4000-8000-00000000abcd", cause));
        var audit = new List<string>();
        var service = new TenantKeyProvisioner(client.Object, audit.Add);

        Assert.ThrowsAsync<KeyLeftPendingImportException>(() => service.ProvisionDataKeyAsync("tenant-8", CancellationToken.None));

        Assert.That(audit, Is.EqualTo(new[] { "cleanup 5e2f8a1c-0000-4000-8000-00000000abcd" }));
    }

    [Test]
    public async Task A_Batch_Is_Mocked_With_An_Async_Sequence()
    {
        var client = new Mock<IKeyImportClient>();
        client
            .Setup(c => c.ImportBatchAsync(It.IsAny<IEnumerable<BatchImportItem>>(), It.IsAny<BatchImportOptions?>(), It.IsAny<CancellationToken>()))
            .Returns(Results(
                KmsImportModelFactory.BatchImportResult(result: KmsImportModelFactory.KeyImportResult(keyId: "k1", materialFingerprint: "f1")),
                KmsImportModelFactory.BatchImportResult(keyId: "k2", error: new KmsRequestFailedException(400, KmsErrorCodes.MaterialMismatch, null, null))));
        var service = new TenantKeyProvisioner(client.Object, _ => { });

        int failures = await service.CountFailuresAsync([], CancellationToken.None);

        Assert.That(failures, Is.EqualTo(1));

        static async IAsyncEnumerable<BatchImportResult> Results(params BatchImportResult[] results)
        {
            foreach (BatchImportResult result in results)
            {
                await Task.Yield();
                yield return result;
            }
        }
    }

    [Test]
    public async Task Pending_Keys_Are_Found_Through_A_Mocked_List_Of_Keys()
    {
        var client = new Mock<IKeyImportClient>();
        client
            .Setup(c => c.ListKeysAsync(It.IsAny<ListKeysOptions?>(), It.IsAny<CancellationToken>()))
            .Returns(Keys(
                KmsImportModelFactory.KeyDetails(keyId: "k1", keyState: KeyState.PendingImport, keyAlias: "tenant-1/data"),
                KmsImportModelFactory.KeyDetails(keyId: "k2", keyState: KeyState.Enabled, keyAlias: "tenant-2/data")));
        var service = new TenantKeyProvisioner(client.Object, _ => { });

        IReadOnlyList<string> pending = await service.PendingAliasesAsync(CancellationToken.None);

        Assert.That(pending, Is.EqualTo(new[] { "tenant-1/data" }));

        static async IAsyncEnumerable<KeyDetails> Keys(params KeyDetails[] keys)
        {
            foreach (KeyDetails key in keys)
            {
                await Task.Yield();
                yield return key;
            }
        }
    }

    /// <summary>The application's own code under test: it only knows <see cref="IKeyImportClient"/>.</summary>
    private sealed class TenantKeyProvisioner(IKeyImportClient client, Action<string> audit)
    {
        public async Task<string> ProvisionDataKeyAsync(string tenant, CancellationToken cancellationToken)
        {
            using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
            try
            {
                KeyImportResult result = await client.CreateKeyAndImportAsync(
                    new CreateKeyRequest($"{tenant}/data") { KeySpec = KeySpec.Aes256 },
                    material,
                    cancellationToken: cancellationToken);
                audit($"{tenant} {result.KeyId} {result.MaterialFingerprint}");
                return result.KeyId;
            }
            catch (KeyLeftPendingImportException ex)
            {
                audit($"cleanup {ex.KeyId}");
                throw;
            }
        }

        public async Task<IReadOnlyList<string>> PendingAliasesAsync(CancellationToken cancellationToken)
        {
            var aliases = new List<string>();
            await foreach (KeyDetails key in client.ListKeysAsync(cancellationToken: cancellationToken))
            {
                if (key.KeyState == KeyState.PendingImport && key.KeyAlias is { } alias)
                {
                    aliases.Add(alias);
                }
            }

            return aliases;
        }

        public async Task<int> CountFailuresAsync(IEnumerable<BatchImportItem> items, CancellationToken cancellationToken)
        {
            int failures = 0;
            await foreach (BatchImportResult result in client.ImportBatchAsync(items, cancellationToken: cancellationToken))
            {
                failures += result.Succeeded ? 0 : 1;
            }

            return failures;
        }
    }
}
