using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.Batches;

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
    public async Task Extending_the_expiry_imports_the_same_material_again_with_the_new_expiry()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        KeyImportResult first = await _target.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("re")), material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });

        KeyImportResult again = await _target.Client.ReimportAsync(first.KeyId, material, new ReimportOptions { ExpectedFingerprint = "sha256:" + first.MaterialFingerprint.ToUpperInvariant(), Expiry = MaterialExpiry.After(TimeSpan.FromDays(60)), ExtendExpiry = true });

        Assert.That(again.MaterialFingerprint, Is.EqualTo(first.MaterialFingerprint));
        Assert.That(again.MaterialExpiresOn, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(59)));
        Assert.That(_target.Server.Kms.GetImportCount(first.KeyId), Is.EqualTo(2));
    }

    [Test]
    public async Task The_fingerprint_is_checked_before_anything_is_sent()
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
    }

    [Test]
    public async Task A_failure_after_the_delete_names_the_key_left_pending_import()
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
