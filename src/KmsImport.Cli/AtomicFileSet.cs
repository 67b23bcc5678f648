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
/// <see cref="Commit"/> replaces files that were already at the target paths with <see cref="File.Replace(string, string, string?, bool)"/>,
/// keeping each as a backup, so a target path never lacks a file, even if the process dies half-way; if a move
/// fails, the outputs already moved are removed and the files that were there before are put back. A backup
/// that cannot be deleted is left owner-only.
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
                BeforeReplacing?.Invoke(finalPath);
                if (File.Exists(finalPath))
                {
                    // Keep what the user had until every output is in place, and never leave the target
                    // missing: File.Replace keeps the old file as the backup (on Unix a hard link) and
                    // renames the new one over the target in one step (rename(2)).
                    string backupPath = tempPath[..^".tmp".Length] + ".bak";
                    try
                    {
                        File.Replace(tempPath, finalPath, backupPath, ignoreMetadataErrors: true);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // The target was not replaced; only the backup may exist.
                        TryDeleteBackup(backupPath);
                        throw;
                    }

                    movedAside.Add((finalPath, backupPath));
                }
                else
                {
                    File.Move(tempPath, finalPath, overwrite: true);
                }

                moved.Add(finalPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A rename that fails half-way (I/O error or permission denied): put back what was there
            // (an atomic rename over our output) and remove the outputs that replaced nothing, so the
            // outputs stay all-or-nothing.
            foreach (string path in moved)
            {
                if (!movedAside.Exists(m => string.Equals(m.FinalPath, path, StringComparison.Ordinal)))
                {
                    TryDelete(path);
                }
            }

            foreach ((string finalPath, string backupPath) in movedAside)
            {
                if (!TryMove(backupPath, finalPath))
                {
                    TryDeleteBackup(backupPath);
                }
            }

            throw;
        }

        foreach ((_, string backupPath) in movedAside)
        {
            TryDeleteBackup(backupPath);
        }

        _committed = true;
    }

    /// <summary>For tests: called with each target path just before the staged file replaces it.</summary>
    internal Action<string>? BeforeReplacing { get; set; }

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

    private static bool TryMove(string source, string destination)
    {
        try
        {
            File.Move(source, destination, overwrite: true);
            return true;
        }
        catch (IOException)
        {
            // Best effort: the previous file stays beside the target under its backup name.
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
            return false;
        }
    }

    // A backup holds what the user had at the target (perhaps an earlier token): if it cannot be
    // deleted, it is at least made owner-only before it is left behind.
    private static void TryDeleteBackup(string path)
    {
        TryDelete(path);
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            try
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            catch (IOException)
            {
                // Best effort: nothing more can be done for a file we can neither delete nor chmod.
            }
            catch (UnauthorizedAccessException)
            {
                // Best effort, as above.
            }
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
