using System.CommandLine;

namespace KmsImport.Cli.Tests;

/// <summary>The shared options: the same name, help name and validation in every command that has them.</summary>
[TestFixture]
public sealed class CliOptionsTests
{
    private static readonly RootCommand s_root = CliApplication.BuildRootCommand(new CliContext(TextWriter.Null, TextWriter.Null, _ => null));

    private static Option[] OptionsNamed(string name) => [.. s_root.Subcommands.SelectMany(c => c.Options).Where(o => o.Name == name)];

    [TestCase("--key-id", 7)]
    [TestCase("--json", 5)]
    [TestCase("--algorithm", 3)]
    [TestCase("--expires", 3)]
    [TestCase("--allow-legacy", 11)]
    [TestCase("--cloud", 11)]
    public void SharedOption_In_Every_Command_Has_The_Same_Help_Name_Requirement_And_Validation(string name, int commands)
    {
        Option[] options = OptionsNamed(name);

        Assert.That(options, Has.Length.EqualTo(commands));
        Assert.That(options.Select(o => (o.HelpName, o.Required, o.Validators.Count)).Distinct(), Has.Exactly(1).Items, name);
    }

    [TestCase("--json")]
    [TestCase("--allow-legacy")]
    public void SharedOption_Without_Command_Specific_Text_Has_One_Description(string name)
    {
        string?[] descriptions = [.. OptionsNamed(name).Select(o => o.Description).Distinct()];

        // create-key says what its JSON replaces: the bare key id.
        Assert.That(descriptions, Has.Length.LessThanOrEqualTo(name == "--json" ? 2 : 1), string.Join(" | ", descriptions));
    }

    [TestCase("0d0466b0-e727-4d9c-b35d-f84bb474a37f", true)]
    [TestCase("0D0466B0-E727-4D9C-B35D-F84BB474A37F", false)]
    [TestCase("alias/my-key", false)]
    [TestCase("0d0466b0-e727-4d9c-b35d-f84bb474a37f\n", false)]
    public void KeyId_Value_Is_Checked_Against_The_Services_KeyId_Pattern(string value, bool valid)
    {
        ParseResult result = s_root.Parse(["describe", "--key-id", value]);

        Assert.That(result.Errors.Any(e => e.Message.Contains("not a KMS key id", StringComparison.Ordinal)), Is.EqualTo(!valid));
    }

    [TestCase("AES_256", true)]
    [TestCase("SM2", true)]
    [TestCase("SECP256K1", false)]
    [TestCase("HMAC_SM3", false)]
    public void KeySpecToCreate_Value_Must_Be_Importable(string spec, bool importable)
    {
        ParseResult result = s_root.Parse(["create-key", "--alias", "a", "--spec", spec]);

        Assert.That(result.Errors, importable ? Is.Empty : Has.Some.Property("Message").Contains($"--spec {spec}: material cannot be imported"));
    }

    [Test]
    public void SpecLists_Come_From_The_Sdks_Traits_In_One_Order()
    {
        Assert.That(CliOptions.SymmetricSpecs, Is.EqualTo("AES_256, HMAC_256, HMAC_384, HMAC_512, SM4"));
        Assert.That(CliOptions.ImportableSpecs, Is.EqualTo("AES_256, HMAC_256, HMAC_384, HMAC_512, RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384, SM4, SM2"));
    }
}
