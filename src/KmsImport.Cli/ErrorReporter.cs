using System.CommandLine;
using System.CommandLine.Parsing;
using System.Security.Cryptography;
using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>
/// Every error the tool reports, mapped to its exit code and its text on stderr: one line (the stack
/// trace only with --verbose), or, after Ctrl+C, one line that says what was done and what was not.
/// </summary>
internal static class ErrorReporter
{
    private const string UsageHint = "run 'kms-import --help' or 'kms-import COMMAND --help' for usage.";

    /// <summary>Writes what went wrong and returns the exit code.</summary>
    /// <param name="exception">What the command threw.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="verbose">Whether to add the stack trace.</param>
    /// <param name="ifCancelled">
    /// When the command was cancelled (its token was): what that leaves done and not done, said when the
    /// exception does not say it itself. Null when the command was not cancelled.
    /// </param>
    public static int Report(Exception exception, TextWriter error, bool verbose, string? ifCancelled = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        (int exitCode, string text) = ifCancelled is not null && IsCancellation(exception)
            ? DescribeCancellation(exception, ifCancelled)
            : Describe(exception);
        error.WriteLine(text);
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }

        return exitCode;
    }

    /// <summary>Writes the parse errors, one line each, and where usage is explained; bad usage exits with 2.</summary>
    public static int ReportParseErrors(ParseResult parseResult, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(error);
        foreach (ParseError parseError in parseResult.Errors)
        {
            error.WriteLine($"error: {OneLine(parseError.Message)}");
        }

        error.WriteLine(UsageHint);
        return ExitCodes.BadInput;
    }

    /// <summary>Why one key of a batch failed, for its progress line and the summary: the error line without <c>error: </c>.</summary>
    public static string Reason(Exception exception) => Describe(exception).Text["error: ".Length..];

    internal static (int ExitCode, string Text) Describe(Exception exception) => exception switch
    {
        // The SDK's messages already hold status, error code, message, hint and request id, never secrets.
        KmsRequestFailedException kms => (ExitCodes.ServiceFailure, $"error: {OneLine(kms.Message)}"),
        KeyLeftPendingImportException pending => (pending.InnerException is KeyImportValidationException ? ExitCodes.BadInput : ExitCodes.ServiceFailure, $"error: {OneLine(pending.Message)}"),
        ImportedMaterialMismatchException mismatch => (ExitCodes.ServiceFailure, $"error: {OneLine(mismatch.Message)}"),
        KeyImportValidationException validation => (ExitCodes.BadInput, $"error: {OneLine(validation.Message)}"),
        CliUsageException usage => (ExitCodes.BadInput, $"error: {OneLine(usage.Message)}"),
        UnfinishedWorkException unfinished => (ExitCodes.ServiceFailure, string.Join(Environment.NewLine, $"error: {OneLine(unfinished.Message)}", "finish the job with:", "  " + unfinished.FinishCommand)),
        FileNotFoundException notFound => (ExitCodes.BadInput, $"error: file not found: {notFound.FileName ?? OneLine(notFound.Message)}"),
        DirectoryNotFoundException directory => (ExitCodes.BadInput, $"error: {OneLine(directory.Message)}"),
        UnauthorizedAccessException access => (ExitCodes.BadInput, $"error: {OneLine(access.Message)}"),
        IOException io => (ExitCodes.BadInput, $"error: {OneLine(io.Message)}"),
        CryptographicException crypto => (ExitCodes.BadInput, $"error: the input is not a valid key or ciphertext: {OneLine(crypto.Message)}"),
        // The SDK's argument checks (a malformed key id, alias or sequence) run before anything is sent.
        ArgumentException argument => (ExitCodes.BadInput, $"error: {OneLine(argument.Message)}"),
        // Not the command's own cancellation (that is DescribeCancellation's): say what the SDK says it left behind.
        OperationCanceledException known when IsAccount(known) => (ExitCodes.ServiceFailure, $"error: {OneLine(known.Message)}"),
        OperationCanceledException => (ExitCodes.ServiceFailure, "error: cancelled"),
        HttpRequestException http => (ExitCodes.ServiceFailure, $"error: network failure: {OneLine(http.Message)}"),
        _ => (ExitCodes.ServiceFailure, $"error: unexpected {exception.GetType().Name}: {OneLine(exception.Message)} (run with --verbose for details)"),
    };

    // Ctrl+C: one line. What was left behind is said by the exception when the SDK or the command knew
    // it (an OperationCanceledException wrapping the cancellation, with its message), else by the command.
    internal static (int ExitCode, string Text) DescribeCancellation(Exception exception, string ifCancelled) => exception switch
    {
        UnfinishedWorkException unfinished => (ExitCodes.Cancelled, $"cancelled: {OneLine(unfinished.Message)} Finish the job with: {unfinished.FinishCommand}"),
        OperationCanceledException known when IsAccount(known) => (ExitCodes.Cancelled, $"cancelled: {OneLine(known.Message)}"),
        _ => (ExitCodes.Cancelled, $"cancelled: {OneLine(ifCancelled)}"),
    };

    // What the SDK (or a command) says a cancellation left behind: an OperationCanceledException wrapping the
    // cancellation with a message of its own. Wrappers on the way (Polly, HttpClient) repeat the inner message.
    private static bool IsAccount(OperationCanceledException exception) =>
        exception.InnerException is OperationCanceledException inner && !string.Equals(exception.Message, inner.Message, StringComparison.Ordinal);

    // The failure is the cancellation, or was caused by it (a re-import cut off after its delete).
    private static bool IsCancellation(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is OperationCanceledException)
            {
                return true;
            }
        }

        return false;
    }

    // One line without control characters: an error can quote a file name or text from elsewhere, and a
    // terminal must not act on escape sequences in it (the SDK already cleans and bounds the service's text).
    private static string OneLine(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (char c in text.ReplaceLineEndings(" "))
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
