using System.Security.Cryptography;
using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>Maps an exception to an exit code and one line on stderr (the stack trace only with --verbose).</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        (int exitCode, string line) = Describe(exception);
        error.WriteLine(line);
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }

        return exitCode;
    }

    internal static (int ExitCode, string Line) Describe(Exception exception) => exception switch
    {
        // The SDK's messages already hold status, error code, message, hint and request id, never secrets.
        KmsRequestFailedException kms => (ExitCodes.ServiceFailure, $"error: {OneLine(kms.Message)}"),
        KeyLeftPendingImportException pending => (pending.InnerException is KeyImportValidationException ? ExitCodes.BadInput : ExitCodes.ServiceFailure, $"error: {OneLine(pending.Message)}"),
        ImportedMaterialMismatchException mismatch => (ExitCodes.ServiceFailure, $"error: {OneLine(mismatch.Message)}"),
        KeyImportValidationException validation => (ExitCodes.BadInput, $"error: {OneLine(validation.Message)}"),
        CliUsageException usage => (ExitCodes.BadInput, $"error: {OneLine(usage.Message)}"),
        FileNotFoundException notFound => (ExitCodes.BadInput, $"error: file not found: {notFound.FileName ?? OneLine(notFound.Message)}"),
        DirectoryNotFoundException directory => (ExitCodes.BadInput, $"error: {OneLine(directory.Message)}"),
        UnauthorizedAccessException access => (ExitCodes.BadInput, $"error: {OneLine(access.Message)}"),
        IOException io => (ExitCodes.BadInput, $"error: {OneLine(io.Message)}"),
        CryptographicException crypto => (ExitCodes.BadInput, $"error: the input is not a valid key or ciphertext: {OneLine(crypto.Message)}"),
        // The SDK's argument checks (a malformed key id, alias or sequence) run before anything is sent.
        ArgumentException argument => (ExitCodes.BadInput, $"error: {OneLine(argument.Message)}"),
        // The SDK says what a cancelled import left behind (nothing sent, or sent with an unknown outcome).
        OperationCanceledException { InnerException: OperationCanceledException } known => (ExitCodes.ServiceFailure, $"error: {OneLine(known.Message)}"),
        OperationCanceledException => (ExitCodes.ServiceFailure, "error: cancelled"),
        HttpRequestException http => (ExitCodes.ServiceFailure, $"error: network failure: {OneLine(http.Message)}"),
        _ => (ExitCodes.ServiceFailure, $"error: unexpected {exception.GetType().Name}: {OneLine(exception.Message)} (run with --verbose for details)"),
    };

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
