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
    public async Task Records_Survive_Reopening_As_One_JSON_Line_Each()
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
    public void A_New_Journal_Is_Readable_By_Its_Owner_Only()
    {
        using FileBatchJournal journal = FileBatchJournal.Open(JournalPath);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(JournalPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task A_Last_Line_Cut_Short_By_A_Crash_Is_Ignored_And_The_Next_Record_Starts_On_Its_Own_Line()
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
    public async Task Concurrent_Appends_Each_Complete_After_Their_Record_Is_Written_And_None_Is_Lost()
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
    public void A_Second_Open_Of_A_Journal_In_Use_Fails_Clearly_And_Opens_Once_The_First_Is_Closed()
    {
        using (FileBatchJournal first = FileBatchJournal.Open(JournalPath))
        {
            Assert.That(() => FileBatchJournal.Open(JournalPath), Throws.TypeOf<IOException>().With.Message.Contains($"journal {JournalPath} is in use by another run"));
        }

        using FileBatchJournal again = FileBatchJournal.Open(JournalPath);
        Assert.That(again.Records, Is.Empty);
    }

    [Test]
    public async Task A_Failed_Write_Faults_The_Journal_And_Leaves_No_Partial_Line_For_A_Later_Record()
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
    public void Appending_To_A_Closed_Journal_Throws()
    {
        FileBatchJournal journal = FileBatchJournal.Open(JournalPath);
        journal.Dispose();

        Assert.That(() => journal.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UnixEpoch, Event = BatchJournalEvent.Created, Target = "t" }).AsTask(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void A_Complete_Line_That_Is_Not_A_Record_Is_Refused_With_Its_Line_Number()
    {
        File.WriteAllText(JournalPath, "{\"something\":\"else\"}\n{\"time\":\"2026-12-01T03:00:00.000+00:00\",\"event\":\"created\",\"target\":\"t\",\"keyId\":\"k\"}\n");

        Assert.That(() => FileBatchJournal.Open(JournalPath), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("line 1"));
    }

    [Test]
    public async Task Records_Held_By_The_Journal_Carry_No_Field_For_Material_Or_Tokens()
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
