using KmsImport.Sdk.DependencyInjection;
using KmsImport.Sdk.Tests.TestSupport;

namespace KmsImport.Sdk.Tests.DependencyInjection;

// KeyImportClientOptionsValidator: every validation message names the option and its value.
public class KeyImportClientOptionsValidatorTests
{
    [Test]
    public void Defaults_Are_Valid()
    {
        Assert.That(KeyImportClientOptionsValidator.Collect(new KeyImportClientOptions(), credential: null, DictionaryEnvironment.Empty), Is.Empty);
    }

    [Test]
    public void Defaults_Without_Any_Configuration_Say_What_Is_Missing_For_The_Https_Transport()
    {
        List<string> failures = KeyImportClientOptionsValidator.Collect(new KeyImportClientOptions(), new EnvironmentCredential(), DictionaryEnvironment.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.Count.EqualTo(3));
            Assert.That(failures, Has.One.Contains("No KMS endpoint").And.Contains("HUAWEICLOUD_SDK_REGION"));
            Assert.That(failures, Has.One.Contains("No project id").And.Contains("HUAWEICLOUD_SDK_PROJECT_ID"));
            Assert.That(failures, Has.One.Contains("No credentials").And.Contains("HUAWEICLOUD_SDK_AK"));
        });
    }

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry.MaxRetryAttempts = 11), "Retry.MaxRetryAttempts (11)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry.MaxRetryAttempts = -1), "Retry.MaxRetryAttempts (-1)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry.BaseDelay = TimeSpan.FromMinutes(1)), "Retry.BaseDelay (00:01:00)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry.MaxDelay = TimeSpan.Zero), "Retry.MaxDelay (00:00:00) must be more than 0");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry.AttemptTimeout = TimeSpan.FromMilliseconds(1)), "Retry.AttemptTimeout (00:00:00.0010000)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry.TotalTimeout = TimeSpan.FromSeconds(10)), "Retry.TotalTimeout (00:00:10) must be at least Retry.AttemptTimeout (00:00:30)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry.TotalTimeout = TimeSpan.FromDays(2)), "Retry.TotalTimeout (2.00:00:00)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Retry = null!), "Retry is null");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.ImportParametersSafetyMargin = TimeSpan.FromHours(24)), "ImportParametersSafetyMargin (1.00:00:00)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.ImportParametersSafetyMargin = TimeSpan.FromSeconds(-1)), "ImportParametersSafetyMargin (-00:00:01)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Cloud = (KmsCloud)7), "Cloud (7)");
        yield return new TestCaseData((Action<KeyImportClientOptions>)(o => o.Endpoint = new Uri("http://kms.example.com")), "'http://kms.example.com/' uses plain HTTP");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void Invalid_Values_Are_Reported_With_The_Value(Action<KeyImportClientOptions> configure, string expected)
    {
        var options = new KeyImportClientOptions();
        configure(options);

        List<string> failures = KeyImportClientOptionsValidator.Collect(options, credential: null, DictionaryEnvironment.Empty);

        Assert.That(failures, Has.One.Contains(expected));
    }

    [Test]
    public void A_Malformed_Project_Id_Is_Reported_With_Its_Value()
    {
        var options = new KeyImportClientOptions
        {
            Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com"),
            ProjectId = "../other",
        };

        List<string> failures = KeyImportClientOptionsValidator.Collect(options, new AccessKeyCredential(TransportHarness.AccessKey, TransportHarness.SecretKey), DictionaryEnvironment.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.One.Contains("ProjectId '../other' is not a project id"));
            Assert.That(string.Join("\n", failures), Does.Not.Contain(TransportHarness.SecretKey));
        });
    }

    [Test]
    public void Only_One_Environment_Credential_Is_Reported()
    {
        var options = new KeyImportClientOptions { Region = "eu-de", ProjectId = "p" };
        DictionaryEnvironment environment = new DictionaryEnvironment().Set("HUAWEICLOUD_SDK_AK", "AK");

        List<string> failures = KeyImportClientOptionsValidator.Collect(options, new EnvironmentCredential(), environment);

        Assert.That(failures, Is.EqualTo(new[] { "Only one of the HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK environment variables is set (HUAWEICLOUD_SDK_SK is missing); set both." }));
    }
}
