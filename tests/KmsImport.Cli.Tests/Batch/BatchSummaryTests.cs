using KmsImport.Cli.Batch;
using KmsImport.Sdk;
using KmsImport.Sdk.Batches;

namespace KmsImport.Cli.Tests.Batch;

[TestFixture]
public sealed class BatchSummaryTests
{
    private static MigrationResult Result(MigrationOutcome outcome) => new()
    {
        Index = 0,
        Target = "t",
        KeyId = "k",
        Outcome = outcome,
        MaterialFingerprint = new string('0', 64),
        Error = outcome == MigrationOutcome.Failed ? new KeyImportValidationException("no") : null,
    };

    [Test]
    public void Cancelled_With_A_Journal_Counts_What_Was_Done_And_Says_How_To_Resume()
    {
        MigrationResult?[] results = [Result(MigrationOutcome.Imported), Result(MigrationOutcome.AlreadyImported), Result(MigrationOutcome.Skipped), Result(MigrationOutcome.Failed), null, null];

        Assert.That(BatchSummary.Cancelled(results, journal: true), Is.EqualTo("3 of 6 keys imported, 1 failed, 2 not done or not confirmed; run again with the same --journal to resume"));
    }

    [Test]
    public void Cancelled_Without_A_Journal_Says_A_Rerun_Finishes_The_Job()
    {
        MigrationResult?[] results = [Result(MigrationOutcome.Imported), null];

        Assert.That(BatchSummary.Cancelled(results, journal: false), Does.StartWith("1 of 2 keys imported, 1 not done or not confirmed; run the same command again to finish"));
    }
}
