using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Reimport;

/// <summary>ReimportAsync over real loopback HTTP to the emulator.</summary>
[CancelAfter(120_000)]
public class ReimportEndToEndTests
{
    private ServedTarget _target = null!;

    [SetUp]
    public async Task SetUp() => _target = await ServedTarget.StartAsync(maxRetryAttempts: 1);

    [TearDown]
    public async Task TearDown() => await _target.DisposeAsync();

    [Test]
    public async Task Extending_The_Expiry_Imports_The_Same_Material_Again_With_The_New_Expiry()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });

        KeyImportResult again = await _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = "sha256:" + first.MaterialFingerprint.ToUpperInvariant(), Expiry = MaterialExpiry.After(TimeSpan.FromDays(60)), ExtendExpiry = true });

        Assert.That(again.MaterialFingerprint, Is.EqualTo(first.MaterialFingerprint));
        Assert.That(again.MaterialExpiresOn, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(59)));
        Assert.That(_target.Server.Kms.GetImportCount(first.KeyId), Is.EqualTo(2));
    }

    [Test]
    public async Task The_Fingerprint_Is_Checked_Before_Anything_Is_Sent()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        using KeyMaterial other = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material);
        int describes = _target.Server.GetRequestCount("describe-key");

        Assert.That(() => _target.Client.ReimportAsync(first.KeyId, other, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true }), Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("KMS.2606"));
        Assert.That(() => _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExtendExpiry = true }), Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("expected fingerprint"));
        Assert.That(() => _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = "sha256:1234" }), Throws.ArgumentException);
        using var rsa = RSA.Create(2048);
        using KeyMaterial privateKey = KeyMaterial.FromRsa(rsa);
        Assert.That(() => _target.Client.ReimportAsync(first.KeyId, privateKey), Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("symmetric"));
        Assert.That(_target.Server.GetRequestCount("describe-key"), Is.EqualTo(describes));
        Assert.That(_target.Server.GetRequestCount("delete-imported-key-material"), Is.Zero);
        Assert.That(_target.Server.GetRequestCount("get-parameters-for-import"), Is.EqualTo(1), "only the first import's");
    }

    [Test]
    public async Task Sm4_Material_Extends_Its_Expiry_In_A_Chinese_Region_Profile_With_Sm2_Wrapping()
    {
        await using ServedTarget china = await ServedTarget.StartAsync(new LocalKmsServerOptions { Kms = new LocalKmsOptions { Capabilities = KmsCapabilities.HuaweiChineseRegions, Realm = "cn-north-4" } }, maxRetryAttempts: 1);
        using KeyMaterial material = RandomSymmetric(KeySpec.Sm4);
        KeyImportResult first = await china.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("sm")) { KeySpec = KeySpec.Sm4 }, material, new ImportKeyMaterialOptions { WrappingAlgorithm = WrappingAlgorithm.Sm2Encrypt, Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });

        KeyImportResult again = await china.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true, Expiry = MaterialExpiry.After(TimeSpan.FromDays(30)) });

        KeyDetails details = await china.Client.DescribeKeyAsync(first.KeyId);
        Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
        Assert.That(details.MaterialExpiresOn, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(29)));
        Assert.That(again.MaterialFingerprint, Is.EqualTo(first.MaterialFingerprint));
    }

    [Test]
    public async Task Material_Of_Another_Spec_Is_Refused_Before_The_Delete()
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(bytes, KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });
        using KeyMaterial asHmac = KeyMaterial.FromSymmetricKey(bytes, KeySpec.Hmac256);

        Assert.That(
            () => _target.Client.ReimportAsync(first.KeyId, asHmac, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true, Expiry = MaterialExpiry.After(TimeSpan.FromDays(30)) }),
            Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("AES_256").And.Message.Contains("HMAC_256").And.Message.Contains("nothing was deleted"));
        Assert.That(
            () => _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true, Expiry = MaterialExpiry.At(DateTimeOffset.UtcNow.AddMinutes(-5)) }),
            Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("not in the future"));
        Assert.That(_target.Server.GetRequestCount("delete-imported-key-material"), Is.Zero);
        Assert.That((await _target.Client.DescribeKeyAsync(first.KeyId)).KeyState, Is.EqualTo(KeyState.Enabled));
    }

    [Test]
    public async Task A_Delete_Whose_Answer_Is_Lost_Is_Settled_By_Describe_Key_And_The_Import_Follows()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });
        _target.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "delete-imported-key-material", Timing = LocalKmsFaultTiming.AfterProcessing, Count = 5 });

        KeyImportResult again = await _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true, Expiry = MaterialExpiry.After(TimeSpan.FromDays(30)) });

        KeyDetails details = await _target.Client.DescribeKeyAsync(first.KeyId);
        Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
        Assert.That(details.MaterialExpiresOn, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(29)));
        Assert.That(again.MaterialFingerprint, Is.EqualTo(first.MaterialFingerprint));
        Assert.That(_target.Server.GetRequestCount("delete-imported-key-material"), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_Delete_That_Did_Not_Happen_Says_The_Key_Is_Still_Enabled()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });
        _target.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "delete-imported-key-material", Count = 5 });

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true, Expiry = MaterialExpiry.After(TimeSpan.FromDays(30)) }));

        Assert.That(ex!.Message, Does.Contain("still Enabled").And.Contain("nothing was deleted"));
        Assert.That((await _target.Client.DescribeKeyAsync(first.KeyId)).KeyState, Is.EqualTo(KeyState.Enabled));
        Assert.That(_target.Server.Kms.GetImportCount(first.KeyId), Is.EqualTo(1));
    }

    [Test]
    public async Task Cancellation_After_The_Delete_Was_Answered_Reports_The_Key_Left_Pending_Import()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });
        using var cancellation = new CancellationTokenSource();

        // The import's get-parameters-for-import waits until the caller has cancelled.
        _target.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "get-parameters-for-import", Latency = TimeSpan.FromSeconds(10) });
        Task<KeyImportResult> reimport = _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true, Expiry = MaterialExpiry.After(TimeSpan.FromDays(30)) }, cancellation.Token);
        while (_target.Server.GetRequestCount("get-parameters-for-import") < 2 && !reimport.IsCompleted)
        {
            await Task.Delay(10);
        }

        await cancellation.CancelAsync();
        var ex = Assert.ThrowsAsync<ReimportIncompleteException>(() => reimport);

        Assert.That(ex!.KeyId, Is.EqualTo(first.KeyId));
        Assert.That((await _target.Client.DescribeKeyAsync(first.KeyId)).KeyState, Is.EqualTo(KeyState.PendingImport));
    }

    [Test]
    public async Task A_Failure_After_The_Delete_Names_The_Key_Left_Pending_Import()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material);
        _target.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "get-parameters-for-import", Count = 5 });

        var ex = Assert.ThrowsAsync<ReimportIncompleteException>(() => _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = first.MaterialFingerprint, ExtendExpiry = true, Expiry = MaterialExpiry.After(TimeSpan.FromDays(2)) }));

        Assert.That(ex!.KeyId, Is.EqualTo(first.KeyId));
        Assert.That(ex.Message, Does.Contain("pending import").And.Contain(first.MaterialFingerprint));
        Assert.That((await _target.Client.DescribeKeyAsync(first.KeyId)).KeyState, Is.EqualTo(KeyState.PendingImport));
    }
}
