namespace KmsImport.Cli.Tests.TestSupport;

/// <summary>What one in-process run of kms-import produced.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}
