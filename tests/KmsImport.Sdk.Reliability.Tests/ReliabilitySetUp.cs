using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests;

/// <summary>Starts the suite-wide secret audit for every test of the assembly (this is the root namespace) and writes the figures at the end.</summary>
[SetUpFixture]
public sealed class ReliabilitySetUp
{
    [OneTimeSetUp]
    public void StartAudit()
    {
        SecretAudit.Start();
        Figures.Record("form", ReliabilitySettings.IsLong ? "long" : "short");
        Figures.Record("machine", ReliabilitySettings.Machine);
        Figures.Record("date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    [OneTimeTearDown]
    public void StopAudit()
    {
        // A last pass catches secrets registered by a test after texts of an earlier test were scanned.
        IReadOnlyList<string> leaks = SecretAudit.ScanIncrementally();
        Figures.Record("secrets registered", SecretAudit.Secrets.SecretCount);
        Figures.Record("secret text forms searched", SecretAudit.Secrets.FormCount);
        Figures.Record("texts scanned (logs, tags, exceptions, ToString, CLI output)", SecretAudit.TextsScanned);
        Figures.Record("log records captured at Trace", SecretAudit.LoggerProvider.RecordCount);
        Figures.Record("activities captured", SecretAudit.Telemetry?.ActivityCount ?? 0);
        Figures.Record("metric measurements captured", SecretAudit.Telemetry?.MeasurementCount ?? 0);
        Figures.Record("secret leaks found", SecretAudit.LeaksFound);
        SecretAudit.Stop();
        Figures.Write();
        Assert.That(leaks, Is.Empty, "secrets leaked into texts captured by earlier tests");
    }
}
