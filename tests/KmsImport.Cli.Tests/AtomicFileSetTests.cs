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
}
