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
    public async Task A_Pending_Key_Is_Imported_With_The_Items_Options_Unchanged(CancellationToken cancellationToken)
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
    public async Task A_Key_Imported_After_It_Was_Described_Is_Already_Imported_Not_Failed(CancellationToken cancellationToken)
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
    public async Task A_Refused_Import_Of_A_Key_Still_Pending_Is_A_Failure_With_The_Services_Error(CancellationToken cancellationToken)
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
