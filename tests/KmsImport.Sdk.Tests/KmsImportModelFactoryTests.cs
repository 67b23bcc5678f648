namespace KmsImport.Sdk.Tests;

public class KmsImportModelFactoryTests
{
    [Test]
    public void Defaults_Make_A_Consistent_Success()
    {
        KeyImportResult result = KmsImportModelFactory.KeyImportResult(materialFingerprint: "cd34");
        BatchImportResult batch = KmsImportModelFactory.BatchImportResult(result: result);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.ServiceAccepted));
            Assert.That(result.Confirmation.MaterialFingerprint, Is.EqualTo("cd34"));
            Assert.That(batch.KeyId, Is.EqualTo(result.KeyId));
            Assert.That(batch.Succeeded, Is.True);
            Assert.That(KmsImportModelFactory.BatchImportResult(error: new InvalidOperationException("x")).Succeeded, Is.False);
        });
    }
}
