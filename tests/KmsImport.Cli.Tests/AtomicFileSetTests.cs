namespace KmsImport.Cli.Tests;

[TestFixture]
[CancelAfter(30_000)]
public sealed class AtomicFileSetTests
{
    [Test]
    public void Nothing_Appears_Until_Commit_And_Everything_After()
    {
        using var dir = new TempDirectory();
        using (var files = new AtomicFileSet())
        {
            files.Stage(dir.File("a.bin"), [1, 2, 3]);
            files.Stage(dir.File("b.bin"), [4]);
            Assert.That(dir.FileNames().Where(n => !n.StartsWith('.')), Is.Empty);
            files.Commit();
        }

        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "a.bin", "b.bin" }));
        Assert.That(File.ReadAllBytes(dir.File("a.bin")), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void Dispose_Without_Commit_Leaves_No_File_And_Keeps_The_Old_One()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("a.bin"), [9]);
        using (var files = new AtomicFileSet())
        {
            files.Stage(dir.File("a.bin"), [1, 2, 3]);
            files.Stage(dir.File("b.bin"), [4]);
        }

        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "a.bin" }));
        Assert.That(File.ReadAllBytes(dir.File("a.bin")), Is.EqualTo(new byte[] { 9 }));
    }

    [Test]
    public void The_Same_Path_Twice_Is_Refused()
    {
        using var dir = new TempDirectory();
        using var files = new AtomicFileSet();
        files.Stage(dir.File("a.bin"), [1]);
        Assert.Throws<CliUsageException>(() => files.Stage(dir.File("a.bin"), [2]));
    }

    [Test]
    public void A_Failed_Last_Move_Restores_The_Files_That_Were_There_And_Leaves_No_Temporary_File()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("a.bin"), [9]);
        File.WriteAllBytes(dir.File("b.bin"), [8]);
        using (var files = new AtomicFileSet())
        {
            files.Stage(dir.File("a.bin"), [1]);
            files.Stage(dir.File("b.bin"), [2]);
            files.Stage(dir.File("c.bin"), [3]);

            // A non-empty directory appears at the last target: no rename can replace it, not even root's.
            Directory.CreateDirectory(Path.Combine(dir.File("c.bin"), "inside"));
            Assert.Throws<IOException>(files.Commit);
        }

        Assert.That(File.ReadAllBytes(dir.File("a.bin")), Is.EqualTo(new byte[] { 9 }));
        Assert.That(File.ReadAllBytes(dir.File("b.bin")), Is.EqualTo(new byte[] { 8 }));
        Assert.That(dir.FileNames(), Is.EqualTo(new[] { "a.bin", "b.bin" }), "no temporary or backup file left");
    }

    [Test]
    public void A_Target_Is_Never_Missing_While_It_Is_Replaced_Even_If_The_Process_Dies_There()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("a.bin"), [9]);
        File.WriteAllBytes(dir.File("b.bin"), [8]);
        var seen = new List<(string Path, bool Exists)>();
        using (var files = new AtomicFileSet())
        {
            files.Stage(dir.File("a.bin"), [1]);
            files.Stage(dir.File("b.bin"), [2]);
            files.BeforeReplacing = path =>
            {
                seen.Add((Path.GetFileName(path), File.Exists(path)));
                if (path.EndsWith("b.bin", StringComparison.Ordinal))
                {
                    // The process dies here: no rollback runs.
                    throw new InvalidOperationException("killed");
                }
            };

            Assert.Throws<InvalidOperationException>(files.Commit);
        }

        Assert.That(seen, Is.EqualTo(new[] { ("a.bin", true), ("b.bin", true) }));
        Assert.That(File.ReadAllBytes(dir.File("a.bin")), Is.EqualTo(new byte[] { 1 }));
        Assert.That(File.ReadAllBytes(dir.File("b.bin")), Is.EqualTo(new byte[] { 8 }), "still the old file, never missing");
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Files_Are_Owner_Only_From_The_First_Byte()
    {
        using var dir = new TempDirectory();
        using var files = new AtomicFileSet();
        files.Stage(dir.File("token.b64"), [1]);
        string temporary = Directory.GetFiles(dir.Path).Single();
        Assert.That(File.GetUnixFileMode(temporary), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the temporary file");
        files.Commit();
        Assert.That(File.GetUnixFileMode(dir.File("token.b64")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }
}
