using System.Reflection;
using KmsImport.Sdk.Testing.Emulation;
using KmsImport.Sdk.Testing.Server;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Testing.Tests.Emulation;

/// <summary>
/// The emulator states the service's rules on its own (<see cref="EmulatorRules"/>,
/// <see cref="EmulatorErrorCodes"/>), as an independent check on the SDK. Where the two must agree,
/// these tests hold them to it through public behaviour: the SDK's argument validation against the
/// emulator's answers.
/// </summary>
public class EmulatorContractAgreementTests
{
    private const string ValidKeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";

    private static readonly object[] s_keyIds =
    [
        new object[] { ValidKeyId, true },
        new object[] { "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", true },
        new object[] { "00000000-0000-0000-0000-000000000000", true },
        new object[] { "0D0466B0-E727-4D9C-B35D-F84BB474A37F", false },
        new object[] { ValidKeyId + "\n", false },
        new object[] { "\n" + ValidKeyId, false },
        new object[] { ValidKeyId[..35], false },
        new object[] { ValidKeyId + "0", false },
        new object[] { "{" + ValidKeyId + "}", false },
        new object[] { ValidKeyId.Replace("-", string.Empty, StringComparison.Ordinal), false },
        new object[] { "0d0466b0_e727_4d9c_b35d_f84bb474a37f", false },
        new object[] { "0d0466b0-e727-4d9c-b35d-f84bb474a37 ", false },
        new object[] { "alias/my-key", false },
        new object[] { string.Empty, false },
    ];

    private static readonly object[] s_aliases =
    [
        new object[] { "a", true },
        new object[] { "my-key_01:prod/eu", true },
        new object[] { new string('k', 255), true },
        new object[] { new string('k', 256), false },
        new object[] { string.Empty, false },
        new object[] { "with space", false },
        new object[] { "trailing-newline\n", false },
        new object[] { "dotted.name", false },
        new object[] { "schlüssel", false },
        new object[] { "at@sign", false },
    ];

    [TestCaseSource(nameof(s_keyIds))]
    public async Task Key_Id_Pattern_Sdk_Refuses_Exactly_What_The_Emulator_Answers_Kms0205(string keyId, bool valid)
    {
        using var kms = new LocalKms();
        var client = new KeyImportClient(kms);

        bool sdkAccepts = true;
        try
        {
            await client.DescribeKeyAsync(keyId);
        }
        catch (ArgumentException)
        {
            sdkAccepts = false;
        }
        catch (KmsRequestFailedException ex)
        {
            // It reached the emulator: an unknown key of the right format.
            Assert.That(ex.ErrorCode, Is.EqualTo(EmulatorErrorCodes.KeyNotFound));
        }

        KmsRequestFailedException emulatorAnswer = Assert.ThrowsAsync<KmsRequestFailedException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest(keyId)))!;
        bool emulatorAccepts = emulatorAnswer.ErrorCode != KmsErrorCodes.InvalidKeyId;

        Assert.Multiple(() =>
        {
            Assert.That(sdkAccepts, Is.EqualTo(valid), "the SDK's key-id pattern");
            Assert.That(emulatorAccepts, Is.EqualTo(valid), $"the emulator's key-id pattern (answered {emulatorAnswer.ErrorCode})");
            Assert.That(emulatorAnswer.ErrorCode, Is.EqualTo(valid ? KmsErrorCodes.KeyNotFound : KmsErrorCodes.InvalidKeyId));
        });
    }

    [TestCaseSource(nameof(s_aliases))]
    public async Task Alias_Pattern_Sdk_Refuses_Exactly_What_The_Emulator_Refuses(string alias, bool valid)
    {
        using var sdkSide = new LocalKms();
        var client = new KeyImportClient(sdkSide);
        bool sdkAccepts;
        try
        {
            await client.CreateKeyAsync(new CreateKeyRequest(alias) { KeySpec = KeySpec.Aes256, Origin = KeyOrigin.External });
            sdkAccepts = true;
        }
        catch (ArgumentException)
        {
            sdkAccepts = false;
        }

        using var emulatorSide = new LocalKms();
        bool emulatorAccepts;
        try
        {
            await emulatorSide.CreateKeyAsync(new CreateKeyRequest(alias) { KeySpec = KeySpec.Aes256, Origin = KeyOrigin.External });
            emulatorAccepts = true;
        }
        catch (KmsRequestFailedException ex)
        {
            Assert.That(ex.ErrorCode, Is.EqualTo(EmulatorErrorCodes.InvalidParameter), ex.Message);
            emulatorAccepts = false;
        }

        Assert.Multiple(() =>
        {
            Assert.That(sdkAccepts, Is.EqualTo(valid), "the SDK's alias pattern");
            Assert.That(emulatorAccepts, Is.EqualTo(valid), "the emulator's alias pattern");
            Assert.That(sdkSide.KeyCount, Is.EqualTo(valid ? 1 : 0), "a refused alias never reaches the service");
        });
    }

    [Test]
    public async Task Import_Parameters_Lifetime_Is_The_24_Hours_The_Sdk_Bounds_Its_Safety_Margin_With()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        using var kms = new LocalKms(timeProvider: clock);
        string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(kms, KeySpec.Aes256);
        ImportParameters parameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        TimeSpan lifetime = parameters.ExpiresOn - clock.GetUtcNow();

        Assert.Multiple(() =>
        {
            Assert.That(lifetime, Is.EqualTo(TimeSpan.FromHours(24)), "the emulator's lifetime, as the service documents it");
            Assert.That(new LocalKmsOptions().ImportParametersLifetime, Is.EqualTo(lifetime));
            Assert.That(() => new KeyImportClient(kms, new KeyImportClientOptions { ImportParametersSafetyMargin = lifetime - TimeSpan.FromSeconds(1) }), Throws.Nothing);
            Assert.That(() => new KeyImportClient(kms, new KeyImportClientOptions { ImportParametersSafetyMargin = lifetime }), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Every_Service_Error_Code_The_Emulator_Answers_Is_Known_To_The_Sdk()
    {
        // The emulator's own codes for malformed parameters and list-keys paging have no entry in the
        // SDK's table: the client validates those arguments before any request.
        string[] emulatorOnly = [EmulatorErrorCodes.InvalidParameter, EmulatorErrorCodes.InvalidLimit, EmulatorErrorCodes.InvalidMarker];
        string[] gateway = [GatewayErrors.AuthenticationFailed, GatewayErrors.ClockSkew, GatewayErrors.Throttled, GatewayErrors.AuthTokenInvalid, GatewayErrors.AuthTokenExpired];

        // The SDK's table: the public constants of KmsErrorCodes (its public contract, read as such).
        string[] sdkTable = typeof(KmsErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        string[] answered = EmulatorErrorCodes.Answered.Except(emulatorOnly).Concat(gateway).ToArray();
        string[] unknown = answered.Except(sdkTable).ToArray();

        // Every import-path code has a hint the CLI can print (the gateway's auth-token codes have none yet).
        string[] withoutHint = EmulatorErrorCodes.Answered.Except(emulatorOnly).Where(code => KmsErrorCodes.GetHint(code) is null).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(EmulatorErrorCodes.Answered, Is.Unique);
            Assert.That(EmulatorErrorCodes.Answered.Except(emulatorOnly).Count(), Is.GreaterThanOrEqualTo(19));
            Assert.That(sdkTable, Has.Length.GreaterThanOrEqualTo(answered.Length), "the scan sees the SDK's constants");
            Assert.That(unknown, Is.Empty, "codes the emulator answers that the SDK's KmsErrorCodes does not know");
            Assert.That(withoutHint, Is.Empty, "codes the emulator answers on the import path that the SDK has no hint for");
            Assert.That(emulatorOnly.Intersect(sdkTable), Is.Empty, "emulator-only codes; when the SDK learns one, move it out of this list");
        });
    }

    [Test]
    public void The_Sdk_Names_The_Import_Codes_As_The_Emulator_Does()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EmulatorErrorCodes.InvalidKeyId, Is.EqualTo(KmsErrorCodes.InvalidKeyId));
            Assert.That(EmulatorErrorCodes.KeyNotFound, Is.EqualTo(KmsErrorCodes.KeyNotFound));
            Assert.That(EmulatorErrorCodes.ImportTokenExpired, Is.EqualTo(KmsErrorCodes.ImportTokenExpired));
            Assert.That(EmulatorErrorCodes.ImportTokenInvalid, Is.EqualTo(KmsErrorCodes.ImportTokenInvalid));
            Assert.That(EmulatorErrorCodes.ImportTokenKeyMismatch, Is.EqualTo(KmsErrorCodes.ImportTokenKeyMismatch));
            Assert.That(EmulatorErrorCodes.DecryptionFailed, Is.EqualTo(KmsErrorCodes.DecryptionFailed));
            Assert.That(EmulatorErrorCodes.MaterialMismatch, Is.EqualTo(KmsErrorCodes.MaterialMismatch));
            Assert.That(EmulatorErrorCodes.ResourceFrozen, Is.EqualTo(KmsErrorCodes.ResourceFrozen));
            Assert.That(GatewayErrors.Throttled, Is.EqualTo(KmsErrorCodes.Throttled));
            Assert.That(GatewayErrors.AuthenticationFailed, Is.EqualTo(KmsErrorCodes.SignatureInvalid));
            Assert.That(GatewayErrors.ClockSkew, Is.EqualTo(KmsErrorCodes.ClockSkew));
        });
    }
}
