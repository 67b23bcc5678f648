using KmsImport.Sdk.Authentication;
using KmsImport.Sdk.Batches;
using KmsImport.Sdk.Contract;
using KmsImport.Sdk.DependencyInjection;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Contract;

// One test per rule that used to be stated twice and drifted (issue 13): each would have caught the drift.
public class KmsContractTests
{
    private static readonly TimeSpan[] s_margins =
    [
        TimeSpan.Zero,
        TimeSpan.FromMinutes(5),
        TimeSpan.FromHours(23),
        TimeSpan.FromHours(23.5),
        TimeSpan.FromHours(24) - TimeSpan.FromTicks(1),
        TimeSpan.FromHours(24),
        TimeSpan.FromHours(25),
        TimeSpan.FromTicks(-1),
    ];

    // Drift: the client capped the safety margin at 24 h, the options validator at 23 h.
    [TestCaseSource(nameof(s_margins))]
    public void Safety_Margin_The_Validator_And_The_Client_Accept_The_Same_Values(TimeSpan margin)
    {
        var options = new KeyImportClientOptions { ImportParametersSafetyMargin = margin };
        bool validatorAccepts = !KeyImportClientOptionsValidator.Collect(options, credential: null, DictionaryEnvironment.Empty)
            .Exists(failure => failure.Contains("ImportParametersSafetyMargin", StringComparison.Ordinal));
        bool clientAccepts;
        try
        {
            _ = new KeyImportClient(new Moq.Mock<IKmsTransport>().Object, options);
            clientAccepts = true;
        }
        catch (ArgumentOutOfRangeException)
        {
            clientAccepts = false;
        }

        Assert.Multiple(() =>
        {
            Assert.That(validatorAccepts, Is.EqualTo(clientAccepts));
            Assert.That(clientAccepts, Is.EqualTo(margin >= TimeSpan.Zero && margin < TimeSpan.FromHours(24)));
        });
    }

    // Drift: a key id pattern ending in $ accepts a trailing newline.
    [TestCase("0d0466b0-e727-4d9c-b35d-f84bb474a37f", true)]
    [TestCase("0d0466b0-e727-4d9c-b35d-f84bb474a37f\n", false)]
    [TestCase("0d0466b0-e727-4d9c-b35d-f84bb474a37f\r\n", false)]
    [TestCase("0D0466B0-E727-4D9C-B35D-F84BB474A37F", false)]
    public void Key_Id_Pattern_Anchors_At_The_Very_End(string keyId, bool valid)
    {
        Assert.That(KmsContract.KeyIdPattern().IsMatch(keyId), Is.EqualTo(valid));
        Assert.That(KmsContract.KeyIdPattern().IsMatch(KmsContract.KeyIdExample), Is.True);
    }

    [TestCase("alias_1:/-", true)]
    [TestCase("alias\n", false)]
    [TestCase("", false)]
    [TestCase("a b", false)]
    public void Key_Alias_Pattern_Anchors_At_The_Very_End(string alias, bool valid) =>
        Assert.That(KmsContract.KeyAliasPattern().IsMatch(alias), Is.EqualTo(valid));

    [Test]
    public void Key_Alias_Pattern_And_Length_Agree()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KmsContract.KeyAliasPattern().IsMatch(new string('a', KmsContract.KeyAliasMaxLength)), Is.True);
            Assert.That(KmsContract.KeyAliasPattern().IsMatch(new string('a', KmsContract.KeyAliasMaxLength + 1)), Is.False);
        });
    }

    // Drift: "KMS.0302" was a bare literal in the transport, next to named codes for 0301 and 0303.
    [TestCase(401, null, true)]
    [TestCase(403, "KMS.0301", true)]
    [TestCase(403, "KMS.0302", true)]
    [TestCase(403, "KMS.0303", true)]
    [TestCase(403, "KMS.0304", false)]
    [TestCase(400, "KMS.0302", false)]
    [TestCase(403, "APIG.0301", false)]
    public void Auth_Token_Refused_Codes(int status, string? errorCode, bool refused) =>
        Assert.That(KmsContract.IsAuthTokenRefused(status, errorCode), Is.EqualTo(refused));

    // Drift: the SDK defaulted to 8 keys at once, the CLI to 4.
    [Test]
    public void Batch_Concurrency_Default_Is_One_Constant()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BatchImportOptions.DefaultMaxConcurrency, Is.EqualTo(KmsContract.DefaultBatchConcurrency));
            Assert.That(new BatchImportOptions().MaxConcurrency, Is.EqualTo(KmsContract.DefaultBatchConcurrency));
            Assert.That(new MigrationOptions().MaxConcurrency, Is.EqualTo(KmsContract.DefaultBatchConcurrency));
        });
    }

    // Drift: the variable names were spelled in Authentication/ and again in the CLI.
    [Test]
    public void Environment_Variable_Names_Are_The_Huaweicloud_Sdk_Ones()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KmsEnvironmentVariables.AccessKey, Is.EqualTo("HUAWEICLOUD_SDK_AK"));
            Assert.That(KmsEnvironmentVariables.SecretKey, Is.EqualTo("HUAWEICLOUD_SDK_SK"));
            Assert.That(KmsEnvironmentVariables.SecurityToken, Is.EqualTo("HUAWEICLOUD_SDK_SECURITY_TOKEN"));
            Assert.That(KmsEnvironmentVariables.ProjectId, Is.EqualTo("HUAWEICLOUD_SDK_PROJECT_ID"));
            Assert.That(KmsEnvironmentVariables.Region, Is.EqualTo("HUAWEICLOUD_SDK_REGION"));
            Assert.That(EnvironmentCredential.AccessKeyVariable, Is.EqualTo(KmsContract.AccessKeyVariable));
            Assert.That(EnvironmentCredential.SecretKeyVariable, Is.EqualTo(KmsContract.SecretKeyVariable));
            Assert.That(EnvironmentCredential.SecurityTokenVariable, Is.EqualTo(KmsContract.SecurityTokenVariable));
        });
    }

    [Test]
    public void Service_Expiry_Drops_Fractions_Of_A_Second()
    {
        var requested = new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero).AddMilliseconds(999);
        Assert.That(KmsContract.ToServiceExpiry(requested), Is.EqualTo(new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero)));
    }

    // Drift: the wrapped-material path compared the expiry before truncation, the workflow after.
    [Test]
    public void Import_Wrapped_Material_Refuses_An_Expiry_That_Is_Past_Once_Truncated_To_Whole_Seconds()
    {
        var context = new ClientTestContext();
        var request = new ImportKeyMaterialRequest(ClientTestContext.NewKeyId(), "token-for-the-test", "AAAA")
        {
            MaterialExpiresOn = ClientTestContext.Start.AddMilliseconds(500),
        };

        Assert.That(
            () => context.Client.ImportWrappedKeyMaterialAsync(request),
            Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("not in the future"));
        context.Transport.VerifyNoOtherCalls();
    }

    [Test]
    public void Import_Key_Material_Refuses_An_Expiry_That_Is_Past_Once_Truncated_To_Whole_Seconds()
    {
        var context = new ClientTestContext();
        string keyId = ClientTestContext.NewKeyId();
        var options = new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(ClientTestContext.Start.AddMilliseconds(500)) };

        Assert.That(
            () => context.Client.ImportKeyMaterialAsync(keyId, ClientTestContext.NewAes256(), options),
            Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("not in the future"));
        context.Transport.VerifyNoOtherCalls();
    }
}
