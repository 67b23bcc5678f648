namespace KmsImport.Sdk.Tests.Client;

// The back-off between import attempts whose outcome is unknown comes from KmsRetryOptions, with jitter.
public class ImportAttemptsTests
{
    private static readonly KmsRetryOptions s_retry = new() { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(5) };

    [TestCase(1, 0.0, 1_000)]
    [TestCase(1, 0.5, 1_500)]
    [TestCase(1, 1.0, 2_000)]
    [TestCase(2, 0.0, 2_000)]
    [TestCase(2, 1.0, 4_000)]
    [TestCase(3, 0.0, 2_500)]
    [TestCase(3, 1.0, 5_000)]
    [TestCase(30, 1.0, 5_000)]
    public void BackOff_Doubles_The_Base_Delay_Caps_It_And_Waits_A_Random_Share_Of_Its_Second_Half(int unknownOutcomes, double random, int expectedMilliseconds) =>
        Assert.That(ImportAttempts.BackOff(s_retry, unknownOutcomes, random), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMilliseconds)));

    [Test]
    public void BackOff_Is_Zero_When_The_Options_Say_So()
    {
        var retry = new KmsRetryOptions { BaseDelay = TimeSpan.Zero };
        Assert.That(ImportAttempts.BackOff(retry, 2, 0.7), Is.EqualTo(TimeSpan.Zero));
    }
}
