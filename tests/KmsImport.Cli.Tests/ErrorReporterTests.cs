using System.CommandLine;
using System.Security.Cryptography;
using KmsImport.Sdk;

namespace KmsImport.Cli.Tests;

/// <summary>Every error's exit code and text, and Ctrl+C: exit 130 with one line that says what was and was not done.</summary>
[TestFixture]
public sealed class ErrorReporterTests
{
    private const string IfCancelled = "nothing was changed";

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData(new KmsRequestFailedException(404, "KMS.0207", "key not found", "req-1"), ExitCodes.ServiceFailure, "KMS.0207").SetArgDisplayNames("service refusal");
        yield return new TestCaseData(new KeyImportValidationException("Key X is Enabled"), ExitCodes.BadInput, "Key X is Enabled").SetArgDisplayNames("validation");
        yield return new TestCaseData(new CliUsageException("--spec X: bad"), ExitCodes.BadInput, "--spec X: bad").SetArgDisplayNames("usage");
        yield return new TestCaseData(new FileNotFoundException("gone", "a.bin"), ExitCodes.BadInput, "file not found: a.bin").SetArgDisplayNames("missing file");
        yield return new TestCaseData(new CryptographicException("bad padding"), ExitCodes.BadInput, "not a valid key or ciphertext").SetArgDisplayNames("crypto");
        yield return new TestCaseData(new ArgumentException("'k' is not a KMS key id"), ExitCodes.BadInput, "not a KMS key id").SetArgDisplayNames("argument");
        yield return new TestCaseData(new HttpRequestException("refused"), ExitCodes.ServiceFailure, "network failure: refused").SetArgDisplayNames("network");
        yield return new TestCaseData(new OperationCanceledException(), ExitCodes.ServiceFailure, "error: cancelled").SetArgDisplayNames("cancellation not asked for");
        yield return new TestCaseData(new InvalidOperationException("odd"), ExitCodes.ServiceFailure, "unexpected InvalidOperationException: odd").SetArgDisplayNames("unexpected");
    }

    [TestCaseSource(nameof(Failures))]
    public void Report_A_Failure_Writes_One_Error_Line_And_Returns_Its_Exit_Code(Exception exception, int exitCode, string expected)
    {
        var error = new StringWriter();

        int code = ErrorReporter.Report(exception, error, verbose: false);

        Assert.That(code, Is.EqualTo(exitCode));
        Assert.That(error.ToString(), Does.StartWith("error: ").And.Contain(expected));
        Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Report_Cancelled_With_The_Sdks_Account_Exits_130_With_That_Account_On_One_Line()
    {
        var sdk = new OperationCanceledException("The import into key K was cancelled after the import request was sent; its outcome is unknown.", new OperationCanceledException());
        var error = new StringWriter();

        int code = ErrorReporter.Report(sdk, error, verbose: false, IfCancelled);

        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled).And.EqualTo(130));
        Assert.That(error.ToString(), Is.EqualTo("cancelled: The import into key K was cancelled after the import request was sent; its outcome is unknown." + Environment.NewLine));
    }

    [Test]
    public void Report_Cancelled_Without_An_Account_Exits_130_With_The_Commands_One_Line()
    {
        // As Polly rethrows HttpClient's cancellation: a wrapper that repeats the inner message says nothing more.
        var wrapped = new OperationCanceledException("The operation was canceled.", new TaskCanceledException("The operation was canceled."));
        var error = new StringWriter();

        int code = ErrorReporter.Report(wrapped, error, verbose: false, IfCancelled);

        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(error.ToString(), Is.EqualTo("cancelled: nothing was changed" + Environment.NewLine));
    }

    [Test]
    public void Report_A_Failure_While_Cancelling_Is_Reported_As_The_Failure()
    {
        var error = new StringWriter();

        int code = ErrorReporter.Report(new KmsRequestFailedException(500, null, "boom", null), error, verbose: false, IfCancelled);

        Assert.That(code, Is.EqualTo(ExitCodes.ServiceFailure));
        Assert.That(error.ToString(), Does.StartWith("error: "));
    }

    [Test]
    public void Report_Unfinished_Work_Says_How_To_Finish_It_On_One_Line_When_Cancelled()
    {
        var failed = new UnfinishedWorkException(new ReimportIncompleteException("K", new string('0', 64), new KmsRequestFailedException(500, null, "boom", null)), "kms-import reimport --key-id K");
        var cancelled = new UnfinishedWorkException(new ReimportIncompleteException("K", new string('0', 64), new OperationCanceledException()), "kms-import reimport --key-id K");
        var failedError = new StringWriter();
        var cancelledError = new StringWriter();

        int failedCode = ErrorReporter.Report(failed, failedError, verbose: false);
        int cancelledCode = ErrorReporter.Report(cancelled, cancelledError, verbose: false, IfCancelled);

        Assert.That(failedCode, Is.EqualTo(ExitCodes.ServiceFailure));
        Assert.That(failedError.ToString().TrimEnd().Split(Environment.NewLine), Is.EqualTo(new[] { "error: " + failed.Message, "finish the job with:", "  kms-import reimport --key-id K" }));
        Assert.That(cancelledCode, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(cancelledError.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(cancelledError.ToString(), Does.StartWith("cancelled: Key K is pending import").And.Contain("Finish the job with: kms-import reimport --key-id K"));
    }

    [Test]
    public void Report_Verbose_Adds_The_Stack_Trace()
    {
        var error = new StringWriter();
        Exception thrown;
        try
        {
            throw new CliUsageException("bad");
        }
        catch (CliUsageException ex)
        {
            thrown = ex;
        }

        ErrorReporter.Report(thrown, error, verbose: true);

        Assert.That(error.ToString(), Does.Contain("   at "));
    }

    [Test]
    public void Reason_Of_A_Keys_Failure_Is_The_Error_Line_Without_Its_Prefix() =>
        Assert.That(ErrorReporter.Reason(new KeyImportValidationException("Key X is Enabled")), Is.EqualTo("Key X is Enabled"));

    [Test]
    public void ReportParseErrors_Control_Characters_In_An_Argument_Are_Not_Written_To_The_Terminal()
    {
        RootCommand root = CliApplication.BuildRootCommand(new CliContext(TextWriter.Null, TextWriter.Null, _ => null));
        var error = new StringWriter();

        int code = ErrorReporter.ReportParseErrors(root.Parse(["describe", "--key-id", "\u001b[31mred"]), error);

        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(error.ToString().Contains('\u001b', StringComparison.Ordinal), Is.False);
        Assert.That(error.ToString(), Does.Contain("not a KMS key id").And.EndWith("for usage." + Environment.NewLine));
    }
}
