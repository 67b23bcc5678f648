using System.Text;

namespace KmsImport.Cli.Tests.TestSupport;

/// <summary>A temporary directory deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("kms-import-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] FileNames() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
