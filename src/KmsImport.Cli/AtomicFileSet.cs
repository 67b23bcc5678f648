namespace KmsImport.Cli;

/// <summary>
/// All output files of one command, written all-or-nothing: each is written to a temporary file in
/// its target directory and moved into place by <see cref="Commit"/> only when every output is
/// ready. Disposing without committing deletes the temporary files, so a failed command leaves no
/// partial output behind.
/// </summary>
internal sealed class AtomicFileSet : IDisposable
{
    private readonly List<(string TempPath, string FinalPath)> _staged = [];
    private bool _committed;

    /// <summary>The final paths, in the order they were staged.</summary>
    public IEnumerable<string> Paths => _staged.Select(s => s.FinalPath);

    /// <summary>Writes <paramref name="content"/> to a temporary file beside <paramref name="path"/>.</summary>
    public void Stage(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(_committed, this);
        string finalPath = Path.GetFullPath(path);
        if (_staged.Any(s => string.Equals(s.FinalPath, finalPath, StringComparison.Ordinal)))
        {
            throw new CliUsageException($"two outputs of this command would be written to the same file {path}; give them different names.");
        }

        if (Directory.Exists(finalPath))
        {
            throw new CliUsageException($"{path} is a directory; give a file name.");
        }

        string directory = Path.GetDirectoryName(finalPath)!;
        if (!Directory.Exists(directory))
        {
            throw new CliUsageException($"the directory {directory} does not exist; create it first.");
        }

        string tempPath = Path.Combine(directory, $".{Path.GetFileName(finalPath)}.{Guid.NewGuid():N}.tmp");
        _staged.Add((tempPath, finalPath));
        using var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Moves every staged file into place, replacing existing files.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var moved = new List<string>();
        try
        {
            foreach ((string tempPath, string finalPath) in _staged)
            {
                File.Move(tempPath, finalPath, overwrite: true);
                moved.Add(finalPath);
            }
        }
        catch (IOException)
        {
            // A rename that fails half-way: remove what was moved, so the outputs stay all-or-nothing.
            foreach (string path in moved)
            {
                TryDelete(path);
            }

            throw;
        }

        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            foreach ((string tempPath, _) in _staged)
            {
                TryDelete(tempPath);
            }

            _committed = true;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the file is a temporary one with a random name.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }
}
