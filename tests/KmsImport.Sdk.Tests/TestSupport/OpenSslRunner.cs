namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>
/// Runs the real <c>openssl</c> binary (<see cref="OpenSsl"/>) in a private temporary directory that <see cref="Dispose"/> deletes.
/// </summary>
internal sealed class OpenSslRunner : IDisposable
{
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
    public Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        OpenSsl.RunAsync(Directory.FullName, cancellationToken, arguments);

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
}
