using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace KmsImport.Sdk.Batches;

/// <summary>
/// A batch journal in an append-only file of JSON lines, one per step and key, for example
/// <code>
/// {"time":"2026-12-01T03:00:00.000Z","event":"created","target":"https://kms.eu-de.otc.t-systems.com","keyId":"…","alias":"payments","spec":"AES_256"}
/// </code>
/// Each record is flushed to the disk (<see cref="FileStream.Flush(bool)"/> with
/// <c>flushToDisk</c>) before <see cref="AppendAsync"/> completes, by one writer thread that
/// flushes records arriving together at once. A new file is created with mode
/// 0600 on Unix. A last line cut short by a crash is ignored when the file is opened again.
/// </summary>
public sealed class FileBatchJournal : IBatchJournal, IDisposable
{
    private static readonly byte[] s_newLine = [(byte)'\n'];

    private readonly FileStream _stream;
    private readonly IReadOnlyList<BatchJournalRecord> _records;
    private readonly Channel<PendingLine> _pending = Channel.CreateUnbounded<PendingLine>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private bool _needsNewLine;
    private int _disposed;
    private Exception? _fault;

    private FileBatchJournal(string path, FileStream stream, List<BatchJournalRecord> records, bool needsNewLine)
    {
        Path = path;
        _stream = stream;
        _records = records;
        _needsNewLine = needsNewLine;

        // One thread writes and flushes to the disk, so that no thread-pool thread blocks on the
        // disk; records waiting together are flushed together (each caller still waits for its own).
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "KmsImport batch journal" };
        _writer.Start();
    }

    /// <summary>Test seam: writes one record's bytes instead of <see cref="Stream.Write(ReadOnlySpan{byte})"/>, to simulate a failing disk.</summary>
    internal Action<FileStream, byte[]>? WriteRecord { get; set; }

    /// <summary>The journal file's full path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    /// <remarks>Records appended since are on the disk, not kept in memory: a run of any size holds only what it read.</remarks>
    public IReadOnlyList<BatchJournalRecord> Records => _records;

    /// <summary>Opens a journal, creating the file (mode 0600 on Unix) when it does not exist and reading the records it holds.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The journal, open for appending.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="InvalidDataException">A line other than the last is not a journal record (the message names the line).</exception>
    /// <exception cref="IOException">The file cannot be opened, or another run (or process) has it open: the file is opened exclusively.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static FileBatchJournal Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(fullPath, options);
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException) && ((ex.HResult & 0xFFFF) is 32 or 33 || (!OperatingSystem.IsWindows() && File.Exists(fullPath))))
        {
            // A sharing violation (Windows ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION; on Unix the exclusive flock
            // .NET takes is held): two runs must never append to one journal.
            throw new IOException($"The journal {fullPath} is in use by another run: wait for that run to end, or give another journal file.", ex);
        }

        try
        {
            byte[] content = new byte[stream.Length];
            stream.ReadExactly(content);
            List<BatchJournalRecord> records = Parse(content, fullPath);
            stream.Seek(0, SeekOrigin.End);
            return new FileBatchJournal(fullPath, stream, records, content.Length > 0 && content[^1] != (byte)'\n');
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The journal is closed.</exception>
    /// <exception cref="IOException">The record could not be written or flushed.</exception>
    public async ValueTask AppendAsync(BatchJournalRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Volatile.Read(ref _fault) is { } fault)
        {
            throw Faulted(fault);
        }

        var pending = new PendingLine(Serialize(record), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(FileBatchJournal));
        }

        await pending.Written.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is pending, then closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _pending.Writer.TryComplete();
        _writer.Join();
        _stream.Dispose();
    }

    private void WriteLoop()
    {
        ChannelReader<PendingLine> reader = _pending.Reader;
        var batch = new List<PendingLine>();
        // This runs on the journal's own thread (joined in Dispose), so waiting synchronously here keeps the
        // blocking write and fsync off the thread pool rather than blocking a pool thread.
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (reader.TryRead(out PendingLine? line))
            {
                batch.Add(line);
            }

            if (Volatile.Read(ref _fault) is { } fault)
            {
                // A journal that failed a write records nothing more: the run must stop, not go on unjournalled.
                batch.ForEach(line => line.Written.TrySetException(Faulted(fault)));
                continue;
            }

            long committed = 0;
            try
            {
                committed = _stream.Position;
                if (_needsNewLine)
                {
                    // The last line was cut short by a crash: it stays ignored, on its own line.
                    _stream.Write(s_newLine);
                    _needsNewLine = false;
                }

                foreach (PendingLine line in batch)
                {
                    if (WriteRecord is { } write)
                    {
                        write(_stream, line.Bytes);
                    }
                    else
                    {
                        _stream.Write(line.Bytes);
                    }
                }

                _stream.Flush(flushToDisk: true);
                batch.ForEach(line => line.Written.TrySetResult());
            }
            catch (Exception ex)
            {
                // Every failure faults the journal (so that AppendAsync never waits forever) and the file is cut back
                // to its last complete record; if even that fails, a later open ignores the partial last line.
                Volatile.Write(ref _fault, ex);
                TruncateTo(committed);
                batch.ForEach(line => line.Written.TrySetException(Faulted(ex)));
            }
        }
    }

    private IOException Faulted(Exception cause) =>
        new($"The journal {Path} could not be written ({cause.Message}); it records nothing more, so the run stops here. Free the disk or fix the file's permissions, then run again with the same journal.", cause);

    private void TruncateTo(long length)
    {
        try
        {
            _stream.SetLength(length);
            _stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException)
        {
            // The partial line stays; it is the last line, and the journal writes nothing after it.
        }
    }

    internal static byte[] Serialize(BatchJournalRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("event", EventName(record.Event));
            writer.WriteString("target", record.Target);
            WriteOptional(writer, "keyId", record.KeyId);
            WriteOptional(writer, "alias", record.Alias);
            WriteOptional(writer, "spec", record.Spec);
            WriteOptional(writer, "fingerprint", record.Fingerprint is null ? null : "sha256:" + record.Fingerprint);
            WriteOptional(writer, "confirmation", record.Confirmation);
            WriteOptional(writer, "error", record.Error);
            writer.WriteEndObject();
        }

        byte[] line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }

    internal static string EventName(BatchJournalEvent value) => value switch
    {
        BatchJournalEvent.CreateStarted => "create-started",
        BatchJournalEvent.Created => "created",
        BatchJournalEvent.ImportStarted => "import-started",
        BatchJournalEvent.Imported => "imported",
        BatchJournalEvent.AlreadyImported => "already-imported",
        BatchJournalEvent.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown journal event."),
    };

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static List<BatchJournalRecord> Parse(byte[] content, string path)
    {
        var records = new List<BatchJournalRecord>();
        string[] lines = Encoding.UTF8.GetString(content).TrimStart('\uFEFF').Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            BatchJournalRecord? record = TryParse(line);
            if (record is not null)
            {
                records.Add(record);
            }
            else if (i < lines.Length - 1 && !IsTornLine(lines, i))
            {
                throw new InvalidDataException($"{path}, line {i + 1}: not a batch journal record. The journal is written by kms-import only; restore it or start a new one.");
            }
        }

        return records;
    }

    // A line cut short by a crash and followed only by the records of later runs.
    private static bool IsTornLine(string[] lines, int index) => !lines[index].TrimStart().StartsWith('{') || !lines[index].TrimEnd().EndsWith('}');

    private static BatchJournalRecord? TryParse(string line)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Read(root, "time") is not { } time
                || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset when)
                || Read(root, "event") is not { } eventName
                || ParseEvent(eventName) is not { } kind
                || Read(root, "target") is not { } target)
            {
                return null;
            }

            string? fingerprint = Read(root, "fingerprint");
            return new BatchJournalRecord
            {
                Time = when,
                Event = kind,
                Target = target,
                KeyId = Read(root, "keyId"),
                Alias = Read(root, "alias"),
                Spec = Read(root, "spec"),
                Fingerprint = fingerprint is not null && fingerprint.StartsWith("sha256:", StringComparison.Ordinal) ? fingerprint["sha256:".Length..] : fingerprint,
                Confirmation = Read(root, "confirmation"),
                Error = Read(root, "error"),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Read(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record PendingLine(byte[] Bytes, TaskCompletionSource Written);

    private static BatchJournalEvent? ParseEvent(string name) => name switch
    {
        "create-started" => BatchJournalEvent.CreateStarted,
        "created" => BatchJournalEvent.Created,
        "import-started" => BatchJournalEvent.ImportStarted,
        "imported" => BatchJournalEvent.Imported,
        "already-imported" => BatchJournalEvent.AlreadyImported,
        "failed" => BatchJournalEvent.Failed,
        _ => null,
    };
}
