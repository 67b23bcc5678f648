using System.Text;
using KmsImport.Sdk.Batches;

namespace KmsImport.Sdk.Tests.Batches;

[TestFixture]
public class FileBatchJournalTests
{
    private string _dir = null!;

    private string JournalPath => Path.Combine(_dir, "journal.jsonl");

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("journal-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Records_survive_reopening_as_one_JSON_line_each()
    {
        var time = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
        using (FileBatchJournal journal = FileBatchJournal.Open(JournalPath))
        {
            await journal.AppendAsync(new BatchJournalRecord { Time = time, Event = BatchJournalEvent.CreateStarted, Target = "t", Alias = "a", Spec = "AES_256" });
            await journal.AppendAsync(new BatchJournalRecord { Time = time, Event = BatchJournalEvent.Imported, Target = "t", Alias = "a", KeyId = "k", Spec = "AES_256", Fingerprint = new string('a', 64), Confirmation = "service accepted the import" });
        }

        string[] lines = File.ReadAllLines(JournalPath);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Is.EqualTo("{\"time\":\"2026-12-01T03:00:00.000Z\",\"event\":\"create-started\",\"target\":\"t\",\"alias\":\"a\",\"spec\":\"AES_256\"}"));
        Assert.That(lines[1], Does.Contain("\"fingerprint\":\"sha256:" + new string('a', 64) + "\""));

        using FileBatchJournal reopened = FileBatchJournal.Open(JournalPath);
        Assert.That(reopened.Records.Select(r => r.Event), Is.EqualTo(new[] { BatchJournalEvent.CreateStarted, BatchJournalEvent.Imported }));
        Assert.That(reopened.Records[1].Fingerprint, Is.EqualTo(new string('a', 64)));
        Assert.That(reopened.Records[1].KeyId, Is.EqualTo("k"));
        Assert.That(reopened.Records[1].Time, Is.EqualTo(time));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix file modes")]
    public void A_new_journal_is_readable_by_its_owner_only()
    {
        using FileBatchJournal journal = FileBatchJournal.Open(JournalPath);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(JournalPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task A_last_line_cut_short_by_a_crash_is_ignored_and_the_next_record_starts_on_its_own_line()
    {
        File.WriteAllText(JournalPath, "{\"time\":\"2026-12-01T03:00:00.000+00:00\",\"event\":\"created\",\"target\":\"t\",\"keyId\":\"k\"}\n{\"time\":\"2026-12-01T03:00:01.000+00:00\",\"event\":\"impo", Encoding.UTF8);

        using (FileBatchJournal journal = FileBatchJournal.Open(JournalPath))
        {
            Assert.That(journal.Records, Has.Count.EqualTo(1));
            await journal.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UnixEpoch, Event = BatchJournalEvent.Imported, Target = "t", KeyId = "k", Fingerprint = "00" });
        }

        using FileBatchJournal reopened = FileBatchJournal.Open(JournalPath);
        Assert.That(reopened.Records.Select(r => r.Event), Is.EqualTo(new[] { BatchJournalEvent.Created, BatchJournalEvent.Imported }));
        Assert.That((await ReadWhileOpenAsync(JournalPath)).TrimEnd('\n').Split('\n'), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task Concurrent_appends_each_complete_after_their_record_is_written_and_none_is_lost()
    {
        using (FileBatchJournal journal = FileBatchJournal.Open(JournalPath))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                await journal.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UnixEpoch, Event = BatchJournalEvent.Created, Target = "t", KeyId = $"k{i}" }, ct);
                if (i % 20 == 0)
                {
                    Assert.That(await ReadWhileOpenAsync(JournalPath), Does.Contain($"\"keyId\":\"k{i}\""), "on the disk when AppendAsync completes");
                }
            });
        }

        using FileBatchJournal reopened = FileBatchJournal.Open(JournalPath);
        Assert.That(reopened.Records.Select(r => r.KeyId).Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(0, 200).Select(i => $"k{i}").Order(StringComparer.Ordinal)));
        Assert.That(() => reopened.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UnixEpoch, Event = BatchJournalEvent.Created, Target = "t" }).AsTask(), Throws.Nothing);
    }

    [Test]
    public void A_second_open_of_a_journal_in_use_fails_clearly_and_opens_once_the_first_is_closed()
    {
        using (FileBatchJournal first = FileBatchJournal.Open(JournalPath))
        {
            Assert.That(() => FileBatchJournal.Open(JournalPath), Throws.TypeOf<IOException>().With.Message.Contains($"journal {JournalPath} is in use by another run"));
        }

        using FileBatchJournal again = FileBatchJournal.Open(JournalPath);
        Assert.That(again.Records, Is.Empty);
    }

    [Test]
    public async Task A_failed_write_faults_the_journal_and_leaves_no_partial_line_for_a_later_record()
    {
        var time = DateTimeOffset.UnixEpoch;
        using (FileBatchJournal journal = FileBatchJournal.Open(JournalPath))
        {
            await journal.AppendAsync(new BatchJournalRecord { Time = time, Event = BatchJournalEvent.Created, Target = "t", KeyId = "k1" });
            journal.WriteRecord = (stream, bytes) =>
            {
                stream.Write(bytes, 0, bytes.Length / 2);
                stream.Flush();
                throw new IOException("No space left on device");
            };

            Assert.That(async () => await journal.AppendAsync(new BatchJournalRecord { Time = time, Event = BatchJournalEvent.Created, Target = "t", KeyId = "k2" }), Throws.InstanceOf<IOException>().With.Message.Contains("No space left on device").And.Message.Contains("could not be written"));
            journal.WriteRecord = null;
            Assert.That(async () => await journal.AppendAsync(new BatchJournalRecord { Time = time, Event = BatchJournalEvent.Created, Target = "t", KeyId = "k3" }), Throws.InstanceOf<IOException>().With.Message.Contains("records nothing more"));
        }

        using FileBatchJournal reopened = FileBatchJournal.Open(JournalPath);
        Assert.That(reopened.Records.Select(r => r.KeyId), Is.EqualTo(new[] { "k1" }));
        Assert.That((await ReadWhileOpenAsync(JournalPath)).Split('\n'), Has.Length.EqualTo(2), "one complete record and its newline, no partial line");
    }

    [Test]
    public void Appending_to_a_closed_journal_throws()
    {
        FileBatchJournal journal = FileBatchJournal.Open(JournalPath);
        journal.Dispose();

        Assert.That(() => journal.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UnixEpoch, Event = BatchJournalEvent.Created, Target = "t" }).AsTask(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void A_complete_line_that_is_not_a_record_is_refused_with_its_line_number()
    {
        File.WriteAllText(JournalPath, "{\"something\":\"else\"}\n{\"time\":\"2026-12-01T03:00:00.000+00:00\",\"event\":\"created\",\"target\":\"t\",\"keyId\":\"k\"}\n");

        Assert.That(() => FileBatchJournal.Open(JournalPath), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("line 1"));
    }

    [Test]
    public async Task Records_held_by_the_journal_carry_no_field_for_material_or_tokens()
    {
        using (FileBatchJournal journal = FileBatchJournal.Open(JournalPath))
        {
            await journal.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UnixEpoch, Event = BatchJournalEvent.Failed, Target = "t", KeyId = "k", Error = "boom" });
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(JournalPath));
        Assert.That(document.RootElement.EnumerateObject().Select(p => p.Name), Is.SubsetOf(new[] { "time", "event", "target", "keyId", "alias", "spec", "fingerprint", "confirmation", "error" }));
    }

    // The journal holds the file exclusively (every .NET open of it fails meanwhile); cat reads it as tail or jq would.
    private static async Task<string> ReadWhileOpenAsync(string path)
    {
        using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true })!;
        string text = await cat.StandardOutput.ReadToEndAsync();
        await cat.WaitForExitAsync();
        return text;
    }
}
