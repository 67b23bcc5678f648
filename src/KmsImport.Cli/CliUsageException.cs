namespace KmsImport.Cli;

/// <summary>Bad usage or bad input found by the tool itself (exit code 2). The message says what to fix.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public CliUsageException()
    {
    }
}
