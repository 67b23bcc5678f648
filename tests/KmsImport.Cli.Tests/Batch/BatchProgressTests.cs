using KmsImport.Cli.Batch;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Cli.Tests.Batch;

[TestFixture]
public sealed class BatchProgressTests
{
    [Test]
    public void The_Status_Line_Gives_Done_Of_Total_Rate_Time_Left_And_Failures()
    {
        Assert.That(BatchProgress.StatusLine(50, 200, 1, TimeSpan.FromSeconds(10)), Is.EqualTo("[50/200] 5.0 keys/s, 30s left, 1 failed"));
        Assert.That(BatchProgress.StatusLine(50, 2000, 0, TimeSpan.FromSeconds(10)), Is.EqualTo("[50/2000] 5.0 keys/s, 6m30s left, 0 failed"));
        Assert.That(BatchProgress.StatusLine(3, 3, 0, TimeSpan.FromSeconds(1)), Is.EqualTo("[3/3] 3.0 keys/s, done, 0 failed"));
    }

    [Test]
    public void On_A_Terminal_One_Live_Line_Is_Redrawn_And_Failures_Are_Printed_Above_It()
    {
        var time = new FakeTimeProvider();
        var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, _ => null, timeProvider: time) { ErrorIsTerminal = true };
        var progress = new BatchProgress(context, 3);

        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report("k1", "ok", failed: false);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report("k2", "FAILED: boom", failed: true);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report("k3", "ok", failed: false);
        progress.Finish();

        string text = error.ToString();
        Assert.That(text, Does.Contain("\r[1/3] 1.0 keys/s, 2s left, 0 failed"));
        Assert.That(text, Does.Contain("[2/3] k2 FAILED: boom" + Environment.NewLine));
        Assert.That(text, Does.Contain("\r[3/3] 1.0 keys/s, done, 1 failed"));
        Assert.That(text, Does.Not.Contain("k1 ok"), "no line per key on a terminal");
        Assert.That(text, Does.EndWith(Environment.NewLine));
    }

    [Test]
    public void When_Stderr_Is_Not_A_Terminal_Each_Key_Gets_Its_Line()
    {
        var error = new StringWriter();
        var progress = new BatchProgress(new CliContext(TextWriter.Null, error, _ => null), 2);

        progress.Report("k1", "ok", failed: false);
        progress.Report("k2", "FAILED: boom", failed: true);
        progress.Finish();

        Assert.That(error.ToString(), Is.EqualTo($"[1/2] k1 ok{Environment.NewLine}[2/2] k2 FAILED: boom{Environment.NewLine}"));
    }
}
