using KmsImport.Sdk.Batches;
using KmsImport.Sdk.Cryptography;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Batches;

/// <summary>
/// KeyMigration against a mocked <see cref="IKeyImportClient"/>, as users run it in their own tests: the client receives
/// the options the item names, and an answer that aged before the import does not turn an imported key into a failure.
/// </summary>
[CancelAfter(20_000)]
public class KeyMigrationTests
{
    [Test]
    public async Task A_pending_key_is_imported_with_the_items_options_unchanged(CancellationToken cancellationToken)
    {
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        var client = new Mock<IKeyImportClient>(MockBehavior.Strict);
        client.Setup(c => c.DescribeKeyAsync(keyId, It.IsAny<CancellationToken>())).ReturnsAsync(Details(keyId, KeyState.PendingImport));
        client.Setup(c => c.ImportKeyMaterialAsync(keyId, material, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(KmsImportModelFactory.KeyImportResult(keyId: keyId, keyState: KeyState.Enabled));

        MigrationResult result = await RunOneAsync(new MigrationItem { Target = "t", Client = client.Object, KeyId = keyId, Material = material }, cancellationToken);

        Assert.That(result.Outcome, Is.EqualTo(MigrationOutcome.Imported), result.Error?.Message);
        client.Verify(c => c.DescribeKeyAsync(keyId, It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task A_key_imported_after_it_was_described_is_already_imported_not_failed(CancellationToken cancellationToken)
    {
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        var client = new Mock<IKeyImportClient>(MockBehavior.Strict);
        client.SetupSequence(c => c.DescribeKeyAsync(keyId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Details(keyId, KeyState.PendingImport))
            .ReturnsAsync(Details(keyId, KeyState.Enabled));
        client.Setup(c => c.ImportKeyMaterialAsync(keyId, material, null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new KmsRequestFailedException(400, KmsErrorCodes.KeyNotPendingImport, "key state", "req-1", "import-key-material"));

        MigrationResult result = await RunOneAsync(new MigrationItem { Target = "t", Client = client.Object, KeyId = keyId, Material = material }, cancellationToken);

        Assert.That(result.Outcome, Is.EqualTo(MigrationOutcome.AlreadyImported), result.Error?.Message);
        Assert.That(result.Confirmation, Is.EqualTo(KeyMigration.UnverifiedSymmetric));
    }

    [Test]
    public async Task A_refused_import_of_a_key_still_pending_is_a_failure_with_the_services_error(CancellationToken cancellationToken)
    {
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        var refused = new KmsRequestFailedException(400, KmsErrorCodes.KeyNotPendingImport, "key state", "req-1", "import-key-material");
        var client = new Mock<IKeyImportClient>(MockBehavior.Strict);
        client.Setup(c => c.DescribeKeyAsync(keyId, It.IsAny<CancellationToken>())).ReturnsAsync(Details(keyId, KeyState.PendingImport));
        client.Setup(c => c.ImportKeyMaterialAsync(keyId, material, null, It.IsAny<CancellationToken>())).ThrowsAsync(refused);

        MigrationResult result = await RunOneAsync(new MigrationItem { Target = "t", Client = client.Object, KeyId = keyId, Material = material }, cancellationToken);

        Assert.That(result.Outcome, Is.EqualTo(MigrationOutcome.Failed));
        Assert.That(result.Error, Is.SameAs(refused));
        client.Verify(c => c.DescribeKeyAsync(keyId, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    private static async Task<MigrationResult> RunOneAsync(MigrationItem item, CancellationToken cancellationToken)
    {
        var results = new List<MigrationResult>();
        await foreach (MigrationResult result in KeyMigration.RunAsync([item], cancellationToken: cancellationToken))
        {
            results.Add(result);
        }

        return results.Single();
    }
}
