using System.CommandLine;

namespace KmsImport.Cli;

/// <summary>Options every command has.</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Print the stack trace of an error (never secrets).",
        Recursive = true,
    };
}
