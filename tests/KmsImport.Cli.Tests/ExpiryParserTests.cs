using KmsImport.Sdk;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Cli.Tests;

[TestFixture]
[CancelAfter(30_000)]
public sealed class ExpiryParserTests
{
    private static readonly DateTimeOffset s_now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("never")]
    [TestCase("NEVER")]
    public void Never_And_Absent_Mean_Never(string? text) =>
        Assert.That(ExpiryParser.Parse(text).IsNever, Is.True);

    [TestCase("90m", 90 * 60)]
    [TestCase("24h", 24 * 3600)]
    [TestCase("30d", 30 * 86400)]
    [TestCase("2w", 14 * 86400)]
    [TestCase("45s", 45)]
    public void Durations_Count_From_Now(string text, int seconds)
    {
        var clock = new FakeTimeProvider(s_now);
        Assert.That(ExpiryParser.ResolveFuture(ExpiryParser.Parse(text), clock), Is.EqualTo(s_now.AddSeconds(seconds)));
    }

    [TestCase("2027-06-01T00:00:00Z", "2027-06-01T00:00:00+00:00")]
    [TestCase("2027-06-01T02:00:00+02:00", "2027-06-01T00:00:00+00:00")]
    public void Iso_Times_With_An_Offset_Are_Absolute(string text, string expected)
    {
        var clock = new FakeTimeProvider(s_now);
        Assert.That(ExpiryParser.ResolveFuture(ExpiryParser.Parse(text), clock), Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("tomorrow")]
    [TestCase("2027-06-01T00:00:00")]
    [TestCase("2027-06-01")]
    [TestCase("0d")]
    [TestCase("-5h")]
    [TestCase("5y")]
    public void Unclear_Values_Are_Refused_With_The_Accepted_Forms(string text)
    {
        var ex = Assert.Throws<CliUsageException>(() => ExpiryParser.ResolveFuture(ExpiryParser.Parse(text), new FakeTimeProvider(s_now)));
        Assert.That(ex!.Message, Does.Contain("--expires"));
    }

    [Test]
    public void A_Time_In_The_Past_Is_Refused_Before_Anything_Is_Sent()
    {
        var ex = Assert.Throws<CliUsageException>(() => ExpiryParser.ResolveFuture(MaterialExpiry.At(s_now.AddSeconds(-1)), new FakeTimeProvider(s_now)));
        Assert.That(ex!.Message, Does.Contain("in the past"));
    }
}
