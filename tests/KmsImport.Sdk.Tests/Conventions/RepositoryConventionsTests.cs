using System.Text.RegularExpressions;

namespace KmsImport.Sdk.Tests.Conventions;

/// <summary>
/// The house rules the compiler cannot state (docs/architecture.md): one top-level type per source file,
/// named like the file (`file`-local helpers aside); no source file over 400 lines; test folders mirror src/; one test naming
/// convention (capitalised words separated by underscores). The .editorconfig (enforced at build) covers formatting, namespaces and naming.
/// </summary>
public partial class RepositoryConventionsTests
{
    private const int MaxSourceLines = 400;

    // Test folders that hold no tests of a src/ folder: shared helpers, copied vectors, and this file.
    private static readonly string[] s_testOnlyFolders = ["TestSupport", "TestVectors", "Conventions", "Shared"];

    private static readonly string s_root = FindRepositoryRoot();

    [Test]
    public void SourceFiles_Each_Declares_One_Top_Level_Type_Named_Like_The_File()
    {
        List<string> offenders = [];
        foreach (string file in SourceFiles("src"))
        {
            string[] types = TopLevelTypeNames(File.ReadAllLines(file)).Distinct().ToArray();
            string expected = Path.GetFileName(file).Split('.')[0];
            if (types.Length > 1 || (types.Length == 1 && types[0] != expected))
            {
                offenders.Add($"{Relative(file)}: {string.Join(", ", types)}");
            }
        }

        Assert.That(offenders, Is.Empty, "one top-level type per file, in a file of its name");
    }

    [Test]
    public void SourceFiles_Are_At_Most_400_Lines()
    {
        string[] offenders = SourceFiles("src")
            .Select(file => (file, lines: File.ReadLines(file).Count()))
            .Where(f => f.lines > MaxSourceLines)
            .Select(f => $"{Relative(f.file)}: {f.lines} lines")
            .ToArray();

        Assert.That(offenders, Is.Empty, "split by responsibility before a file passes 400 lines");
    }

    [TestCase("KmsImport.Sdk.Tests", "KmsImport.Sdk")]
    [TestCase("KmsImport.Sdk.Testing.Tests", "KmsImport.Sdk.Testing")]
    [TestCase("KmsImport.Cli.Tests", "KmsImport.Cli")]
    public void TestFolders_Mirror_Source_Folders(string testProject, string sourceProject)
    {
        string testRoot = Path.Combine(s_root, "tests", testProject);
        string[] unmatched = Directory.EnumerateDirectories(testRoot, "*", SearchOption.AllDirectories)
            .Select(dir => Path.GetRelativePath(testRoot, dir))
            .Where(dir => !IsBuildOutput(dir) && !s_testOnlyFolders.Contains(dir.Split(Path.DirectorySeparatorChar)[0]))
            .Where(dir => !Directory.Exists(MirroredSourceFolder(sourceProject, dir)))
            .ToArray();

        Assert.That(unmatched, Is.Empty, $"every folder of tests/{testProject} names a folder of src/{sourceProject}");
    }

    // The emulator's tests also run the SDK end to end against it: EndToEnd/<Folder> mirrors src/KmsImport.Sdk/<Folder>.
    private static string MirroredSourceFolder(string sourceProject, string testFolder)
    {
        string[] parts = testFolder.Split(Path.DirectorySeparatorChar);
        return sourceProject == "KmsImport.Sdk.Testing" && parts[0] == "EndToEnd"
            ? Path.Combine([s_root, "src", "KmsImport.Sdk", .. parts[1..]])
            : Path.Combine([s_root, "src", sourceProject, .. parts]);
    }

    [Test]
    public void TestMethods_Are_Capitalised_Words_Separated_By_Underscores()
    {
        List<string> offenders = [];
        foreach (string file in SourceFiles("tests"))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (!TestAttribute().IsMatch(lines[i]))
                {
                    continue;
                }

                // The method follows its attributes.
                Match method = Match.Empty;
                for (int j = i + 1; j < lines.Length && !method.Success; j++)
                {
                    method = TestMethodName().Match(lines[j]);
                }

                if (method.Success && !IsTestName(method.Groups["name"].Value))
                {
                    offenders.Add($"{Relative(file)}: {method.Groups["name"].Value}");
                }
            }
        }

        Assert.That(offenders.Distinct(), Is.Empty, "test methods read as a sentence of capitalised words: Subject_Condition_Outcome");
    }

    [TestCase("Import_Of_A_Frozen_Key_Is_Refused", true)]
    [TestCase("Wrap_EmptyMaterial_Throws", true)]
    [TestCase("Sm2_Wrap_Decrypts_With_OpenSsl_3", true)]
    [TestCase("Import_of_a_frozen_key_is_refused", false)]
    [TestCase("ImportOfAFrozenKeyIsRefused", false)]
    [TestCase("Import__Twice", false)]
    public void IsTestName_Accepts_Capitalised_Words_Separated_By_Underscores(string name, bool expected) =>
        Assert.That(IsTestName(name), Is.EqualTo(expected));

    // Words separated by underscores, each starting with a capital letter or a digit; identifiers keep their spelling.
    private static bool IsTestName(string name)
    {
        string[] words = name.Split('_');
        return words.Length > 1 && words.All(word => word.Length > 0 && (char.IsAsciiLetterUpper(word[0]) || char.IsAsciiDigit(word[0])));
    }

    [Test]
    public void TopLevelTypeNames_Finds_Each_Declaration_At_Column_Zero_But_Not_File_Local_Types()
    {
        // The scan above relies on file-scoped namespaces (IDE0161, enforced): top-level types start at column 0.
        string[] source =
        [
            "namespace N;",
            "public sealed class First<T>",
            "{",
            "    private sealed class Nested;",
            "}",
            "internal readonly record struct Second(int X);",
            "static partial class Third",
            "public delegate void Fourth();",
            "file sealed class PrivateToTheFile;",
        ];

        Assert.That(TopLevelTypeNames(source), Is.EqualTo(new[] { "First", "Second", "Third", "Fourth" }));
    }

    private static IEnumerable<string> TopLevelTypeNames(IEnumerable<string> lines) =>
        lines.Select(line => TopLevelType().Match(line))
            .Where(m => m.Success && !m.Groups["modifiers"].Value.Contains("file ", StringComparison.Ordinal))
            .Select(m => m.Groups["name"].Value);

    private static IEnumerable<string> SourceFiles(string top) =>
        Directory.EnumerateFiles(Path.Combine(s_root, top), "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(Path.GetRelativePath(s_root, file)));

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

    private static string Relative(string file) => Path.GetRelativePath(s_root, file);

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KmsImport.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KmsImport.Sdk.sln not found above the test directory");
    }

    [GeneratedRegex(@"^(?<modifiers>(?:(?:public|internal|file|static|sealed|abstract|readonly|partial|ref|unsafe)\s+)*)(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?|delegate\s+[\w<>\[\],.? ]+?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"^\s*\[(?:Test|TestCase|TestCaseSource|Theory)\b")]
    private static partial Regex TestAttribute();

    [GeneratedRegex(@"^\s*public\s+(?:static\s+)?(?:async\s+)?[\w<>\[\],.? ]+\s+(?<name>\w+)\s*\(")]
    private static partial Regex TestMethodName();
}
