namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// Base of every reliability fixture: a hang fails the test, and each test ends with the secret scan
/// over whatever it made the SDK say.
/// </summary>
[Category("Reliability")]
[CancelAfter(ReliabilitySettings.TestTimeoutMilliseconds)]
public abstract class ReliabilityTest
{
    [TearDown]
    public void ScanForLeakedSecrets()
    {
        IReadOnlyList<string> leaks = SecretAudit.ScanIncrementally();
        Assert.That(leaks, Is.Empty, "a secret appeared in a log record, tag, exception or ToString()");
    }
}
