using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>
/// Runs the real <c>openssl</c> binary in a private temporary directory that <see cref="Dispose"/> deletes.
/// Fails (never skips) when <c>openssl</c> is missing: the interop tests are the proof that the SDK matches the console guide.
/// </summary>
internal sealed class OpenSslRunner : IDisposable
{
    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromMinutes(2);

    private OpenSslRunner(DirectoryInfo directory)
    {
        Directory = directory;
    }

    public DirectoryInfo Directory { get; }

    public static OpenSslRunner Create() => new(System.IO.Directory.CreateTempSubdirectory("kmsimport-openssl-"));

    public string PathOf(string fileName) => Path.Combine(Directory.FullName, fileName);

    public byte[] ReadFile(string fileName) => File.ReadAllBytes(PathOf(fileName));

    public void WriteFile(string fileName, ReadOnlySpan<byte> content) => File.WriteAllBytes(PathOf(fileName), content.ToArray());

    /// <summary>Runs <c>openssl</c> with <paramref name="arguments"/> (no shell) in <see cref="Directory"/>; returns stdout.</summary>
    /// <exception cref="InvalidOperationException">openssl is missing, exited non-zero, or did not finish in time.</exception>
    public async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = Directory.FullName,
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
            timeout.CancelAfter(s_defaultTimeout);
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
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
