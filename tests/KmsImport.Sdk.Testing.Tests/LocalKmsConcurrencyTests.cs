using KmsImport.Sdk.Cryptography;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests;

[CancelAfter(300_000)]
public class LocalKmsConcurrencyTests
{
    [Test]
    public async Task Sixty_Four_Keys_Imported_In_Parallel_Each_End_Enabled_Exactly_Once()
    {
        using var kms = new LocalKms();
        var keys = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            string keyId = await CreateExternalKeyAsync(kms, KeySpec.Aes256, $"parallel-{i}");
            ImportParameters parameters = i % 8 == 0
                ? await kms.GetParametersForImportAsync(new(keyId))
                : IssueWithSharedWrappingKey(kms, keyId);
            using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
            await kms.ImportKeyMaterialAsync(Wrap(parameters, material));
            return (KeyId: keyId, Fingerprint: material.ComputeFingerprint());
        })));

        Assert.That(kms.KeyCount, Is.EqualTo(64));
        foreach (var (keyId, fingerprint) in keys)
        {
            Assert.That((await kms.DescribeKeyAsync(new(keyId))).KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(kms.GetImportCount(keyId), Is.EqualTo(1));
            Assert.That(kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(fingerprint));
        }
    }

    [Test]
    public async Task Racing_Imports_Into_One_Key_Succeed_Exactly_Once()
    {
        using var kms = new LocalKms();
        string keyId = await CreateExternalKeyAsync(kms, KeySpec.Aes256);
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        var requests = new List<KmsImport.Sdk.ImportKeyMaterialRequest>();
        requests.Add(Wrap(await kms.GetParametersForImportAsync(new(keyId)), material));
        for (int i = 1; i < 8; i++)
        {
            requests.Add(Wrap(IssueWithSharedWrappingKey(kms, keyId), material));
        }

        // The same token sent twice, too.
        requests.Add(requests[0]);
        Task[] attempts = requests.Select(r => Task.Run(() => kms.ImportKeyMaterialAsync(r))).ToArray();
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (KmsRequestFailedException)
        {
            // Inspected below, per attempt.
        }

        Assert.That(attempts.Count(t => t.IsCompletedSuccessfully), Is.EqualTo(1));
        Assert.That(
            attempts.Where(t => t.IsFaulted).Select(t => ((KmsRequestFailedException)t.Exception!.InnerException!).ErrorCode),
            Has.All.Matches<string?>(code => code is KmsErrorCodes.KeyNotPendingImport or KmsErrorCodes.ImportTokenInvalid));
        Assert.That(kms.GetImportCount(keyId), Is.EqualTo(1));
    }
}
