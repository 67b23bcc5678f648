using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using KmsImport.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.Reliability.Tests.Secrets;

/// <summary>
/// Every secret kind through the whole stack at Trace level, on the paths that log most (retries,
/// unknown outcomes, refused requests): AES material, an RSA private key with a temporary key the
/// test knows, AK/SK, an IAM token (including one the server refuses), import tokens. The audit
/// then finds none of them in any log record, tag, exception or <c>ToString()</c>.
/// </summary>
[NonParallelizable]
public sealed class SecretLeakTests : ReliabilityTest
{
    [Test]
    public async Task No_Secret_Reaches_Logs_Telemetry_Exceptions_Or_ToString()
    {
        string iamToken = "MIIT" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
        string refusedToken = "MIIT" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
        SecretAudit.Secrets.Add(iamToken);
        SecretAudit.Secrets.Add(refusedToken);
        var serverOptions = new LocalKmsServerOptions();
        serverOptions.AuthTokens[iamToken] = DateTimeOffset.UtcNow.AddHours(1);
        await using ServedKms served = await ServedKms.StartAsync(serverOptions);
        int logsBefore = SecretAudit.LoggerProvider.RecordCount;
        int activitiesBefore = SecretAudit.Telemetry?.ActivityCount ?? 0;

        var wrapper = new KnownTemporaryKeyWrapper();
        byte[] pkcs8 = TestKeys.Rsa2048Pkcs8(1);
        wrapper.AddPrivateKey(pkcs8);

        // AK/SK, with faults on every path that logs: retries, unknown outcomes settled by describe-key.
        await using (ServedKms.ClientHost signed = served.CreateClient(ServedKms.FastRetry(TimeSpan.FromSeconds(5)), services: s => s.AddSingleton<IKeyMaterialWrapper>(wrapper)))
        {
            served.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "import-key-material", Timing = LocalKmsFaultTiming.AfterProcessing, Count = 2 });
            served.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Throttle) { Operation = "get-parameters-for-import", Count = 1, RetryAfter = TimeSpan.Zero });
            served.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.DropConnection) { Operation = "describe-key", Count = 1 });
            SecretAudit.Texts.AddObject(signed.Client);
            SecretAudit.Texts.AddObject(signed.Transport);

            using KeyMaterial aes = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
            KeyImportResult aesResult = await signed.Client.CreateKeyAndImportAsync(new CreateKeyRequest("secrets-aes"), aes, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) }).Within();
            using KeyMaterial rsa = KeyMaterial.FromPrivateKey(pkcs8);
            KeyImportResult rsaResult = await signed.Client.CreateKeyAndImportAsync(new CreateKeyRequest("secrets-rsa") { KeySpec = KeySpec.Rsa2048 }, rsa).Within();
            foreach (object value in new object[] { aes, rsa, aesResult, rsaResult, await signed.Client.DescribeKeyAsync(rsaResult.KeyId) })
            {
                SecretAudit.Texts.AddObject(value);
            }

            // A refused import: another key's token.
            using KeyMaterial other = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
            CreateKeyResult created = await signed.Client.CreateKeyAsync(new CreateKeyRequest("secrets-refused"));
            ImportParameters ownParameters = await signed.Client.GetParametersForImportAsync(created.KeyId);
            SecretAudit.Secrets.Add(ownParameters.ImportToken);
            SecretAudit.Texts.AddObject(ownParameters);
            WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(other, ownParameters.WrappingKey, WrappingAlgorithm.RsaesOaepSha256);
            var refused = Assert.ThrowsAsync<KmsRequestFailedException>(() => signed.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(created.KeyId, "AAAA" + ownParameters.ImportToken[4..], wrapped.EncryptedKeyMaterialBase64)));
            SecretAudit.Texts.AddException(refused);
            Assert.That(wrapper.TemporaryKeysUsed, Is.GreaterThan(0), "the temporary key the audit searches for was used");
        }

        // An IAM token: one accepted, one refused by the server.
        await using (ServedKms.ClientHost tokenClient = served.CreateClient(credential: new IamTokenCredential(iamToken)))
        {
            using KeyMaterial aes = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
            SecretAudit.Texts.AddObject(await tokenClient.Client.CreateKeyAndImportAsync(new CreateKeyRequest("secrets-iam"), aes).Within());
        }

        await using (ServedKms.ClientHost refusedClient = served.CreateClient(credential: new IamTokenCredential(refusedToken)))
        {
            var failure = Assert.ThrowsAsync<KmsRequestFailedException>(() => refusedClient.Client.CreateKeyAsync(new CreateKeyRequest("secrets-refused-token")));
            SecretAudit.Texts.AddException(failure);
            Assert.That(failure!.ErrorCode, Is.EqualTo(KmsErrorCodes.AuthTokenInvalid));
        }

        int logs = SecretAudit.LoggerProvider.RecordCount - logsBefore;
        int activities = (SecretAudit.Telemetry?.ActivityCount ?? 0) - activitiesBefore;
        IReadOnlyList<string> leaks = SecretAudit.ScanIncrementally();
        Figures.Record("secrets end to end", $"{logs} log records and {activities} activities captured at Trace; {leaks.Count} leaks");
        Assert.That(logs, Is.GreaterThan(0), "the SDK's logs were captured (else the scan proves nothing)");
        Assert.That(activities, Is.GreaterThan(0), "the SDK's activities were captured");
        Assert.That(leaks, Is.Empty);
    }
}
