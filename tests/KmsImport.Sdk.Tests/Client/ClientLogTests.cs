using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

// ClientLog: what the client logs about an import, and what it never logs.
[CancelAfter(20_000)]
public class ClientLogTests
{
    [Test]
    public async Task Logs_Name_The_Key_And_Attempts_But_Never_The_Token_Or_Material(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        byte[] plaintext = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport), Details(keyId, KeyState.Enabled));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("old"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyB, Token("new"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(400, KmsErrorCodes.ImportTokenExpired), Error(0));

        await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        IReadOnlyList<FakeLogRecord> records = context.Logger.Collector.GetSnapshot();
        string all = string.Join("\n", records.Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(kv => kv.Value) ?? [])));
        string[] secrets =
        [
            Token("old"),
            Token("new"),
            Convert.ToBase64String(plaintext),
            Convert.ToHexString(plaintext),
            Convert.ToHexStringLower(plaintext),
            .. context.ImportRequests.Select(r => r.EncryptedKeyMaterial),
        ];
        Assert.Multiple(() =>
        {
            Assert.That(all, Does.Contain(keyId));
            Assert.That(records.Select(r => r.Message), Has.Some.Contains("fetching new import parameters"));
            Assert.That(records.Select(r => r.Message), Has.Some.Contains("outcome of import attempt 2"));
            Assert.That(records.Select(r => r.Message), Has.Some.Contains("the import happened"));
            foreach (string secret in secrets)
            {
                Assert.That(all, Does.Not.Contain(secret));
            }
        });
    }
}
