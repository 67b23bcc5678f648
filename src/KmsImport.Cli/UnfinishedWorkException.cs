namespace KmsImport.Cli;

/// <summary>A failure that left work half done, with the command that finishes it (no secrets: credentials stay in the environment).</summary>
internal sealed class UnfinishedWorkException : Exception
{
    public UnfinishedWorkException(Exception innerException, string finishCommand)
        : base(innerException?.Message, innerException)
    {
        FinishCommand = finishCommand;
    }

    public UnfinishedWorkException()
    {
        FinishCommand = string.Empty;
    }

    public UnfinishedWorkException(string message)
        : base(message)
    {
        FinishCommand = string.Empty;
    }

    public UnfinishedWorkException(string message, Exception? innerException)
        : base(message, innerException)
    {
        FinishCommand = string.Empty;
    }

    /// <summary>The command line that finishes the work.</summary>
    public string FinishCommand { get; }
}
