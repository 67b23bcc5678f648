using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Client;

// The client's workflows end to end against the in-process emulator: real wrapping, real unwrap,
// single-use tokens, expiry on a fake clock.
[CancelAfter(60_000)]
public class KeyImportClientWithLocalKmsTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);
    private FakeTimeProvider _time = null!;
    private LocalKms _kms = null!;
    private RecordingTransport _transport = null!;
    private KeyImportClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(s_start);
        _kms = new LocalKms(timeProvider: _time);
        _transport = new RecordingTransport(_kms);
        _client = new KeyImportClient(_transport, timeProvider: _time);
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
        _kms.Dispose();
    }

    [Test]
    public async Task Aes256_Create_And_Import_Matches_The_Emulators_Fingerprint(CancellationToken cancellationToken)
    {
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/aes"), material, cancellationToken: cancellationToken);

        KeyDetails details = await _client.DescribeKeyAsync(result.KeyId, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result.MaterialExpiresOn, Is.Null);
            Assert.That(result.MaterialFingerprint, Is.EqualTo(_kms.GetImportedMaterialFingerprint(result.KeyId)));
            Assert.That(result.MaterialFingerprint, Is.EqualTo(material.ComputeFingerprint()));
            Assert.That(_kms.GetImportCount(result.KeyId), Is.EqualTo(1));
        });
    }

    [TestCase("HMAC_256")]
    [TestCase("HMAC_384")]
    [TestCase("HMAC_512")]
    public async Task Hmac_Material_Imports_Into_An_Existing_External_Key(string spec, CancellationToken cancellationToken)
    {
        var keySpec = new KeySpec(spec);
        CreateKeyResult created = await _client.CreateKeyAsync(new CreateKeyRequest("byok/mac") { KeySpec = keySpec, KeyUsage = KeyUsage.GenerateVerifyMac }, cancellationToken);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(keySpec.SymmetricMaterialLength!.Value), keySpec);

        KeyImportResult result = await _client.ImportKeyMaterialAsync(created.KeyId, material, cancellationToken: cancellationToken);

        Assert.That(result.MaterialFingerprint, Is.EqualTo(_kms.GetImportedMaterialFingerprint(created.KeyId)));
    }

    [Test]
    public async Task Rsa2048_Private_Key_Imports_With_Its_Pkcs8_Fingerprint(CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(2048);
        using KeyMaterial material = KeyMaterial.FromRsa(rsa);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/rsa") { KeySpec = KeySpec.Rsa2048 }, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.MaterialFingerprint, Is.EqualTo(_kms.GetImportedMaterialFingerprint(result.KeyId)));
            Assert.That(result.MaterialFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(rsa.ExportPkcs8PrivateKey()))));
        });
    }

    [Test]
    public async Task EcP256_Private_Key_Imports_With_Its_Pkcs8_Fingerprint(CancellationToken cancellationToken)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/ec") { KeySpec = KeySpec.EcP256 }, material, cancellationToken: cancellationToken);

        Assert.That(result.MaterialFingerprint, Is.EqualTo(_kms.GetImportedMaterialFingerprint(result.KeyId)));
    }

    [Test]
    public async Task Expiring_Material_Is_Reported_Expires_And_The_Same_Material_Imports_Again(CancellationToken cancellationToken)
    {
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        var options = new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) };

        KeyImportResult first = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/expiring"), material, options, cancellationToken);
        KeyDetails imported = await _client.DescribeKeyAsync(first.KeyId, cancellationToken);

        _time.Advance(TimeSpan.FromDays(1));
        KeyDetails expired = await _client.DescribeKeyAsync(first.KeyId, cancellationToken);
        KeyImportResult second = await _client.ImportKeyMaterialAsync(first.KeyId, material, options, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.MaterialExpiresOn, Is.EqualTo(s_start.AddDays(1)));
            Assert.That(imported.MaterialExpiresOn, Is.EqualTo(first.MaterialExpiresOn));
            Assert.That(expired.KeyState, Is.EqualTo(KeyState.PendingImport));
            Assert.That(second.MaterialExpiresOn, Is.EqualTo(s_start.AddDays(2)));
            Assert.That(second.MaterialFingerprint, Is.EqualTo(first.MaterialFingerprint));
            Assert.That(_kms.GetImportCount(first.KeyId), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Reimport_After_Delete_Accepts_The_Same_Material_And_Refuses_Another(CancellationToken cancellationToken)
    {
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        using KeyMaterial other = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        KeyImportResult first = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/reimport"), material, cancellationToken: cancellationToken);

        await _client.DeleteImportedKeyMaterialAsync(first.KeyId, cancellationToken);
        KmsRequestFailedException? mismatch = Assert.ThrowsAsync<KmsRequestFailedException>(() => _client.ImportKeyMaterialAsync(first.KeyId, other, cancellationToken: cancellationToken));
        KeyImportResult again = await _client.ImportKeyMaterialAsync(first.KeyId, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(mismatch!.ErrorCode, Is.EqualTo(KmsErrorCodes.MaterialMismatch));
            Assert.That(again.MaterialFingerprint, Is.EqualTo(first.MaterialFingerprint));
            Assert.That(_kms.GetImportedMaterialFingerprint(first.KeyId), Is.EqualTo(first.MaterialFingerprint));
            Assert.That(_kms.GetImportCount(first.KeyId), Is.EqualTo(2));

            // The refused attempt's parameters were reused by the next import (cached, token unspent).
            Assert.That(_transport.Count(KmsOperation.GetParameters), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task An_Expired_Token_Is_Refreshed_And_The_Import_Retried_Once(CancellationToken cancellationToken)
    {
        // The service's clock runs 10 minutes ahead of this machine's: 24 h 1 min later, parameters
        // the client still trusts (valid beyond its 1-minute margin by its own clock) have already
        // expired on the service.
        var serviceTime = new FakeTimeProvider(s_start.AddMinutes(10));
        using var kms = new LocalKms(timeProvider: serviceTime);
        var transport = new RecordingTransport(kms);
        var client = new KeyImportClient(transport, new KeyImportClientOptions { ImportParametersSafetyMargin = TimeSpan.FromMinutes(1) }, timeProvider: _time);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        CreateKeyResult created = await client.CreateKeyAsync(new CreateKeyRequest("byok/skew"), cancellationToken);

        // A refusal that leaves the parameters cached: an expiry the service already sees as past.
        KmsRequestFailedException? refused = Assert.ThrowsAsync<KmsRequestFailedException>(() => client.ImportKeyMaterialAsync(
            created.KeyId, material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(s_start.AddMinutes(5)) }, cancellationToken));
        Assert.That(refused!.ErrorCode, Is.EqualTo(KmsErrorCodes.ExpirationTimeInvalid));

        _time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        serviceTime.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        KeyImportResult result = await client.ImportKeyMaterialAsync(created.KeyId, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.MaterialFingerprint, Is.EqualTo(kms.GetImportedMaterialFingerprint(created.KeyId)));
            Assert.That(kms.GetImportCount(created.KeyId), Is.EqualTo(1));
            Assert.That(transport.Failures(KmsOperation.Import), Is.EqualTo(new[] { KmsErrorCodes.ExpirationTimeInvalid, KmsErrorCodes.ImportTokenExpired }));
            Assert.That(transport.Count(KmsOperation.GetParameters), Is.EqualTo(2));
            Assert.That(transport.Count(KmsOperation.Import), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Parameters_Expiring_While_Waiting_Are_Replaced_Before_The_Import(CancellationToken cancellationToken)
    {
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        using KeyMaterial other = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        KeyImportResult first = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/wait"), material, cancellationToken: cancellationToken);
        await _client.DeleteImportedKeyMaterialAsync(first.KeyId, cancellationToken);
        Assert.ThrowsAsync<KmsRequestFailedException>(() => _client.ImportKeyMaterialAsync(first.KeyId, other, cancellationToken: cancellationToken));

        // Inside the default 5-minute margin of the cached parameters' 24 hours: fetched anew, never sent expired.
        _time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(4));
        await _client.ImportKeyMaterialAsync(first.KeyId, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(_transport.Count(KmsOperation.GetParameters), Is.EqualTo(3));
            Assert.That(_transport.Failures(KmsOperation.Import), Is.EqualTo(new[] { KmsErrorCodes.MaterialMismatch }));
        });
    }

    [Test]
    public async Task An_Import_Processed_But_Unanswered_Is_A_Success_Imported_Once(CancellationToken cancellationToken)
    {
        _transport.FailImportAfterProcessing = 1;
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/lost"), material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result.MaterialFingerprint, Is.EqualTo(_kms.GetImportedMaterialFingerprint(result.KeyId)));
            Assert.That(_kms.GetImportCount(result.KeyId), Is.EqualTo(1));
            Assert.That(_transport.Count(KmsOperation.Import), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_Import_Lost_Before_Processing_Is_Retried_And_Imported_Once(CancellationToken cancellationToken)
    {
        _transport.FailImportBeforeProcessing = 2;
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        CreateKeyResult created = await _client.CreateKeyAsync(new CreateKeyRequest("byok/retry"), cancellationToken);

        Task<KeyImportResult> workflow = _client.ImportKeyMaterialAsync(created.KeyId, material, cancellationToken: cancellationToken);
        while (!workflow.IsCompleted)
        {
            // The back-off waits on the fake clock.
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(workflow, Task.Delay(5, cancellationToken));
        }

        KeyImportResult result = await workflow;
        Assert.Multiple(() =>
        {
            Assert.That(result.MaterialFingerprint, Is.EqualTo(_kms.GetImportedMaterialFingerprint(created.KeyId)));
            Assert.That(_kms.GetImportCount(created.KeyId), Is.EqualTo(1));
            Assert.That(_transport.Count(KmsOperation.Import), Is.EqualTo(3));
            Assert.That(_transport.Count(KmsOperation.GetParameters), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Pre_Flight_Refuses_A_Kms_Key_And_An_Enabled_Key_Without_Importing(CancellationToken cancellationToken)
    {
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        CreateKeyResult kmsKey = await _client.CreateKeyAsync(new CreateKeyRequest("generated") { Origin = KeyOrigin.Kms }, cancellationToken);
        KeyImportResult imported = await _client.CreateKeyAndImportAsync(new CreateKeyRequest("byok/done"), material, cancellationToken: cancellationToken);
        int importsBefore = _transport.Count(KmsOperation.Import);

        KeyImportValidationException? notExternal = Assert.ThrowsAsync<KeyImportValidationException>(() => _client.ImportKeyMaterialAsync(kmsKey.KeyId, material, cancellationToken: cancellationToken));
        KeyImportValidationException? enabled = Assert.ThrowsAsync<KeyImportValidationException>(() => _client.ImportKeyMaterialAsync(imported.KeyId, material, cancellationToken: cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(notExternal!.Message, Does.Contain("origin 'kms'"));
            Assert.That(enabled!.Message, Does.Contain("already has key material"));
            Assert.That(_transport.Count(KmsOperation.Import), Is.EqualTo(importsBefore));
            Assert.That(_kms.GetImportCount(imported.KeyId), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_Batch_Imports_Every_Key_And_Reports_Each(CancellationToken cancellationToken)
    {
        var materials = new List<KeyMaterial>();
        try
        {
            var items = new List<BatchImportItem>();
            foreach (KeySpec spec in new[] { KeySpec.Aes256, KeySpec.Hmac256, KeySpec.Aes256, KeySpec.Hmac512, KeySpec.Aes256, KeySpec.Hmac384 })
            {
                CreateKeyResult created = await _client.CreateKeyAsync(new CreateKeyRequest("byok/batch-" + materials.Count) { KeySpec = spec }, cancellationToken);
                KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(spec.SymmetricMaterialLength!.Value), spec);
                materials.Add(material);
                items.Add(new BatchImportItem(created.KeyId, material));
            }

            // One key that cannot take this material: the batch goes on.
            items.Add(new BatchImportItem(items[0].KeyId.Replace(items[0].KeyId[..8], "00000000", StringComparison.Ordinal), materials[0]));

            var results = new List<BatchImportResult>();
            await foreach (BatchImportResult result in _client.ImportBatchAsync(items, new BatchImportOptions { MaxConcurrency = 3 }, cancellationToken))
            {
                results.Add(result);
            }

            Assert.That(results, Has.Count.EqualTo(items.Count));
            Assert.Multiple(() =>
            {
                foreach (BatchImportResult result in results.Where(r => r.Succeeded))
                {
                    Assert.That(result.Result!.MaterialFingerprint, Is.EqualTo(_kms.GetImportedMaterialFingerprint(result.KeyId)));
                }

                Assert.That(results.Count(r => r.Succeeded), Is.EqualTo(6));
                Assert.That(results.Single(r => !r.Succeeded).Error, Is.InstanceOf<KmsRequestFailedException>()
                    .With.Property(nameof(KmsRequestFailedException.ErrorCode)).EqualTo(KmsErrorCodes.KeyNotFound));
            });
        }
        finally
        {
            materials.ForEach(m => m.Dispose());
        }
    }

    internal enum KmsOperation
    {
        CreateKey,
        GetParameters,
        Import,
        Delete,
        Describe,
    }

    /// <summary>
    /// Passes calls to the emulator, counts them and their error codes, and can lose an import's
    /// response before or after the emulator processed it (what a dropped connection does).
    /// </summary>
    private sealed class RecordingTransport(IKmsTransport inner) : IKmsTransport
    {
        private readonly Lock _lock = new();
        private readonly List<(KmsOperation Operation, string? ErrorCode)> _calls = [];

        public int FailImportBeforeProcessing { get; set; }

        public int FailImportAfterProcessing { get; set; }

        public int Count(KmsOperation operation)
        {
            lock (_lock)
            {
                return _calls.Count(c => c.Operation == operation);
            }
        }

        public string?[] Failures(KmsOperation operation)
        {
            lock (_lock)
            {
                return [.. _calls.Where(c => c.Operation == operation && c.ErrorCode is not null).Select(c => c.ErrorCode)];
            }
        }

        public Task<ListKeysPage> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default) =>
            inner.ListKeysAsync(request, cancellationToken);

        public Task<KmsPublicKey> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default) =>
            inner.GetPublicKeyAsync(request, cancellationToken);

        public Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
            RecordAsync(KmsOperation.CreateKey, () => inner.CreateKeyAsync(request, cancellationToken));

        public Task<ImportParameters> GetParametersForImportAsync(GetParametersForImportRequest request, CancellationToken cancellationToken = default) =>
            RecordAsync(KmsOperation.GetParameters, () => inner.GetParametersForImportAsync(request, cancellationToken));

        public Task ImportKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
            RecordAsync(KmsOperation.Import, async () =>
            {
                if (FailImportBeforeProcessing > 0)
                {
                    FailImportBeforeProcessing--;
                    throw LostResponse();
                }

                await inner.ImportKeyMaterialAsync(request, cancellationToken);
                if (FailImportAfterProcessing > 0)
                {
                    FailImportAfterProcessing--;
                    throw LostResponse();
                }

                return true;
            });

        public Task DeleteImportedKeyMaterialAsync(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
            RecordAsync(KmsOperation.Delete, async () =>
            {
                await inner.DeleteImportedKeyMaterialAsync(request, cancellationToken);
                return true;
            });

        public Task<KeyDetails> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default) =>
            RecordAsync(KmsOperation.Describe, () => inner.DescribeKeyAsync(request, cancellationToken));

        private static KmsRequestFailedException LostResponse() =>
            new(0, null, null, null, "import-key-material", new IOException("The connection was reset (test)."));

        private async Task<T> RecordAsync<T>(KmsOperation operation, Func<Task<T>> call)
        {
            try
            {
                T result = await call();
                Add(operation, null);
                return result;
            }
            catch (KmsRequestFailedException ex)
            {
                Add(operation, ex.ErrorCode ?? $"HTTP {ex.Status}");
                throw;
            }
        }

        private void Add(KmsOperation operation, string? errorCode)
        {
            lock (_lock)
            {
                _calls.Add((operation, errorCode));
            }
        }
    }
}
