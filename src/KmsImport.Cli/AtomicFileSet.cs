namespace KmsImport.Cli;

/// <summary>
/// All output files of one command, written all-or-nothing: each is written to a temporary file in
/// its target directory and moved into place by <see cref="Commit"/> only when every output is
/// ready. Disposing without committing deletes the temporary files, so a failed command leaves no
/// partial output behind.
/// </summary>
/// <remarks>
/// <para>
/// Every file is created owner-only (mode 0600) on Unix from its first byte, whatever the umask: the
/// import token is a secret, and the tool treats all of its outputs alike (wrapped material is not
/// plaintext, but together with the token it is all an import needs). Replacing a file gives it that
/// mode too; <c>chmod</c> a public key afterwards to share it.
/// </para>
/// <para>
/// <see cref="Commit"/> moves files that were already at the target paths aside first; if a move
/// fails, the outputs already moved are removed and the files that were there before are put back.
/// </para>
/// </remarks>
internal sealed class AtomicFileSet : IDisposable
{
    private static readonly FileStreamOptions s_ownerOnly = CreateOwnerOnlyOptions();

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
        using var stream = new FileStream(tempPath, s_ownerOnly);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Moves every staged file into place, replacing existing files; on failure, restores them.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var moved = new List<string>();
        var movedAside = new List<(string FinalPath, string BackupPath)>();
        try
        {
            foreach ((string tempPath, string finalPath) in _staged)
            {
                if (File.Exists(finalPath))
                {
                    // Keep what the user had until every output is in place.
                    string backupPath = tempPath[..^".tmp".Length] + ".bak";
                    File.Move(finalPath, backupPath, overwrite: true);
                    movedAside.Add((finalPath, backupPath));
                }

                File.Move(tempPath, finalPath, overwrite: true);
                moved.Add(finalPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A rename that fails half-way (I/O error or permission denied): remove what was moved and
            // put back what was there, so the outputs stay all-or-nothing.
            foreach (string path in moved)
            {
                TryDelete(path);
            }

            foreach ((string finalPath, string backupPath) in movedAside)
            {
                TryMove(backupPath, finalPath);
            }

            throw;
        }

        foreach ((_, string backupPath) in movedAside)
        {
            TryDelete(backupPath);
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

    private static FileStreamOptions CreateOwnerOnlyOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Applied by open(2) itself, so no moment exists when the file is readable by others.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static void TryMove(string source, string destination)
    {
        try
        {
            File.Move(source, destination, overwrite: true);
        }
        catch (IOException)
        {
            // Best effort: the previous file stays beside the target under its backup name.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
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
