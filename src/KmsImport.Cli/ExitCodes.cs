namespace KmsImport.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The service refused the request, or the network failed.</summary>
    public const int ServiceFailure = 1;

    /// <summary>Bad usage or bad input: nothing was sent, or the input cannot be imported as given.</summary>
    public const int BadInput = 2;

    /// <summary>Cancelled (Ctrl+C, 128 + SIGINT as shells report it); the one line on stderr says what was done and what was not.</summary>
    public const int Cancelled = 130;
}
