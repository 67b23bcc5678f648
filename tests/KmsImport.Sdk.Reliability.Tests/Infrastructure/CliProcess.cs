using System.Diagnostics;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>Runs the real <c>kms-import</c> tool (the built assembly, with <c>dotnet</c>) as a process, bounded in time.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static string ToolPath { get; } = Path.Combine(AppContext.BaseDirectory, "kms-import.dll");

    /// <param name="arguments">The tool's arguments.</param>
    /// <param name="environment">Variables to set.</param>
    /// <param name="workingDirectory">The working directory; default the test output directory.</param>
    /// <param name="limit">How long the tool may run.</param>
    /// <param name="umask">When set (Unix), the tool runs under this umask, for example <c>000</c>.</param>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? limit = null, string? umask = null)
    {
        var start = new ProcessStartInfo(umask is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (umask is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"umask {umask} && exec dotnet \"$@\"");
            start.ArgumentList.Add("sh");
        }

        start.ArgumentList.Add(ToolPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A clean credential environment: only what the test gives.
        foreach (string name in new[] { "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_REGION" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach ((string name, string? value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"hang: kms-import {string.Join(' ', arguments)} did not exit within {limit ?? TimeSpan.FromSeconds(60)}");
        }

        var result = new Result(process.ExitCode, await stdout, await stderr);
        SecretAudit.Texts.Add("cli.stdout", result.StandardOutput);
        SecretAudit.Texts.Add("cli.stderr", result.StandardError);
        return result;
    }
}
