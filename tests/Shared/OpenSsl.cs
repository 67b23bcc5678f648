using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace KmsImport.Tests.Shared;

/// <summary>
/// Runs the real <c>openssl</c> binary (no shell) in a working directory: the interop tests' proof that the SDK and
/// the CLI match the console guide. Fails, never skips, when openssl is missing. One copy for every test project.
/// </summary>
internal static class OpenSsl
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <c>openssl</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; returns stdout.</summary>
    /// <exception cref="InvalidOperationException">openssl is missing, exited non-zero, or did not finish in time.</exception>
    public static Task<string> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, CancellationToken.None, arguments);

    /// <inheritdoc cref="RunAsync(string, string[])"/>
    public static async Task<string> RunAsync(string workingDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("openssl did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                "The 'openssl' binary was not found on PATH. The interop tests need OpenSSL 3 (apt-get install openssl); they are not skipped.", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"openssl {Describe(arguments)} did not finish in time.");
            }

            string output = await stdout;
            string error = await stderr;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {Describe(arguments)} exited with {process.ExitCode}: {error}");
            }

            return output;
        }
    }

    // Hex keys (-K) are test data, but keep them out of failure messages anyway.
    private static string Describe(string[] arguments)
    {
        var text = new StringBuilder();
        for (int i = 0; i < arguments.Length; i++)
        {
            text.Append(i > 0 && arguments[i - 1] == "-K" ? "<hex key>" : arguments[i]).Append(' ');
        }

        return text.ToString().TrimEnd();
    }
}
