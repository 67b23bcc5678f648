using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using KmsImport.Sdk.Testing;

namespace KmsImport.Sdk.Reliability.Tests.Faults;

/// <summary>
/// Faults over real sockets: the served emulator's fault injection (before or after the request is
/// processed) against a client built with <c>AddKeyImportClient</c>. Each case checks the three
/// promises: no hang (every call bounded), never a key imported twice, never a success reported as
/// a failure (a reported failure leaves the key pending import with nothing imported); and the
/// outcome where it is determined: success where retrying can succeed, the right status and code
/// where it cannot.
/// </summary>
[NonParallelizable]
public sealed class ServedFaultTests : ReliabilityTest
{
    private const string GetParameters = "get-parameters-for-import";
    private const string Import = "import-key-material";
    private const string Describe = "describe-key";

    // Generous enough for the emulator to make an RSA-2048 wrapping key on a busy 2-core machine.
    private static readonly TimeSpan s_attemptTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_slow = TimeSpan.FromSeconds(4);

    private ServedKms _served = null!;
    private ServedKms.ClientHost _host = null!;

    /// <summary>Faults the client must survive: the import succeeds, exactly once.</summary>
    public static IEnumerable<TestCaseData> Survivable()
    {
        yield return Case("429 burst with Retry-After on get-parameters", GetParameters, LocalKmsFaultKind.Throttle, before: true, count: 3);
        yield return Case("429 burst with Retry-After on import", Import, LocalKmsFaultKind.Throttle, before: true, count: 2);
        yield return Case("429 on describe-key", Describe, LocalKmsFaultKind.Throttle, before: true, count: 2);
        yield return Case("500 burst on get-parameters", GetParameters, LocalKmsFaultKind.ServerError, before: true, count: 3);
        yield return Case("503 burst on get-parameters", GetParameters, LocalKmsFaultKind.ServerError, before: true, count: 2, status: 503);
        yield return Case("503 burst on describe-key", Describe, LocalKmsFaultKind.ServerError, before: true, count: 3, status: 503);
        yield return Case("500 on import before processing", Import, LocalKmsFaultKind.ServerError, before: true, count: 1);
        yield return Case("500 on import after processing", Import, LocalKmsFaultKind.ServerError, before: false, count: 1);
        yield return Case("503 on import after processing", Import, LocalKmsFaultKind.ServerError, before: false, count: 1, status: 503);
        yield return Case("500 on every import after processing", Import, LocalKmsFaultKind.ServerError, before: false, count: 10);
        yield return Case("dropped connection on get-parameters", GetParameters, LocalKmsFaultKind.DropConnection, before: true, count: 2);
        yield return Case("dropped connection on describe-key", Describe, LocalKmsFaultKind.DropConnection, before: true, count: 3);
        yield return Case("dropped connection on import before processing", Import, LocalKmsFaultKind.DropConnection, before: true, count: 1);
        yield return Case("dropped connection on import after processing", Import, LocalKmsFaultKind.DropConnection, before: false, count: 1);
        yield return Case("get-parameters slower than the attempt timeout", GetParameters, LocalKmsFaultKind.Latency, before: true, count: 1);
        yield return Case("describe-key slower than the attempt timeout", Describe, LocalKmsFaultKind.Latency, before: true, count: 1);
        yield return Case("import slower than the attempt timeout, after processing", Import, LocalKmsFaultKind.Latency, before: false, count: 1);
        yield return Case("import slower than the attempt timeout, before processing", Import, LocalKmsFaultKind.Latency, before: true, count: 1);
        yield return Case("truncated body on get-parameters", GetParameters, LocalKmsFaultKind.TruncatedBody, before: true, count: 2);
        yield return Case("truncated body on describe-key", Describe, LocalKmsFaultKind.TruncatedBody, before: true, count: 2);
        yield return Case("truncated body on import after processing", Import, LocalKmsFaultKind.TruncatedBody, before: false, count: 1);
        yield return Case("HTML 502 page on get-parameters", GetParameters, LocalKmsFaultKind.HtmlErrorPage, before: true, count: 2);
        yield return Case("HTML 502 page on import before processing", Import, LocalKmsFaultKind.HtmlErrorPage, before: true, count: 1);
        yield return Case("HTML 502 page on import after processing", Import, LocalKmsFaultKind.HtmlErrorPage, before: false, count: 1);
        yield return Case("malformed JSON on import after processing", Import, LocalKmsFaultKind.MalformedJson, before: false, count: 1);
        yield return Case("oversized body on import after processing", Import, LocalKmsFaultKind.OversizedBody, before: false, count: 1);

        // The import faults again with RSA-2048 material (temporary key, RFC 5649 wrap).
        yield return Case("500 on import after processing", Import, LocalKmsFaultKind.ServerError, before: false, count: 1, asymmetric: true);
        yield return Case("500 on import before processing", Import, LocalKmsFaultKind.ServerError, before: true, count: 1, asymmetric: true);
        yield return Case("dropped connection on import after processing", Import, LocalKmsFaultKind.DropConnection, before: false, count: 1, asymmetric: true);
        yield return Case("import slower than the attempt timeout, after processing", Import, LocalKmsFaultKind.Latency, before: false, count: 1, asymmetric: true);
    }

    /// <summary>Faults nobody can survive: the right exception and code, and the key left pending import.</summary>
    public static IEnumerable<TestCaseData> Unsurvivable()
    {
        yield return Fatal("500 on every get-parameters", GetParameters, LocalKmsFaultKind.ServerError, count: 20, status: 500, code: "KMS.01");
        yield return Fatal("429 on every import", Import, LocalKmsFaultKind.Throttle, count: 20, status: 429, code: KmsErrorCodes.Throttled);
        yield return Fatal("dropped connection on every import before processing", Import, LocalKmsFaultKind.DropConnection, count: 20, status: 0, code: null);
        yield return Fatal("malformed JSON on get-parameters", GetParameters, LocalKmsFaultKind.MalformedJson, count: 20, status: 200, code: null);
        yield return Fatal("oversized body on get-parameters", GetParameters, LocalKmsFaultKind.OversizedBody, count: 20, status: 200, code: null);
        yield return Fatal("HTML 502 page on every get-parameters", GetParameters, LocalKmsFaultKind.HtmlErrorPage, count: 20, status: 502, code: null);
    }

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _served = await ServedKms.StartAsync();
        _host = _served.CreateClient(ServedKms.FastRetry(s_attemptTimeout));
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _host.DisposeAsync();
        await _served.DisposeAsync();
    }

    [SetUp]
    public void ClearFaults() => _served.Server.Faults.Clear();

    [TestCaseSource(nameof(Survivable))]
    public async Task Import_Survives(string operation, LocalKmsFaultKind kind, bool before, int count, int? status, bool asymmetric)
    {
        (string keyId, KeyMaterial material) = await NewKeyAsync(asymmetric);
        using (material)
        {
            LocalKmsFault fault = Arm(operation, kind, before, count, status);

            (KeyImportResult? result, Exception? error) = await ImportAsync(_host.Client, keyId, material);

            await AssertNeverTwiceNeverFalseFailure(keyId, material, result, error);
            Assert.That(fault.Triggered, Is.GreaterThan(0), "the fault struck");
            Assert.That(error, Is.Null, $"retrying can succeed: {error}");
            FaultTally.Record("faults injected", fault.Triggered);
            FaultTally.Record("faults survived (import succeeded exactly once)", fault.Triggered);
        }
    }

    [TestCaseSource(nameof(Unsurvivable))]
    public async Task Import_Fails_Cleanly(string operation, LocalKmsFaultKind kind, int count, int status, string? code)
    {
        (string keyId, KeyMaterial material) = await NewKeyAsync(asymmetric: false);
        using (material)
        {
            LocalKmsFault fault = Arm(operation, kind, before: true, count, status is >= 500 and not 502 ? status : null);

            (KeyImportResult? result, Exception? error) = await ImportAsync(_host.Client, keyId, material);

            await AssertNeverTwiceNeverFalseFailure(keyId, material, result, error);
            KmsRequestFailedException? failure = error as KmsRequestFailedException ?? error?.InnerException as KmsRequestFailedException;
            Assert.That(failure, Is.Not.Null, $"a KmsRequestFailedException, got {error?.GetType().Name}: {error?.Message}");
            Assert.That(failure!.Status, Is.EqualTo(status), failure.Message);
            if (code is null)
            {
                Assert.That(failure.ErrorCode, Is.Null, failure.Message);
            }
            else
            {
                Assert.That(failure.ErrorCode, Does.StartWith(code), failure.Message);
            }

            Assert.That(failure.Message, Does.Not.Contain("<html").IgnoreCase, "no HTML dump in the message");
            Assert.That(failure.Message.Length, Is.LessThan(1000), "a bounded message, not a body");
            FaultTally.Record("faults injected", fault.Triggered);
            FaultTally.Record("faults that ended the call with the right exception (key left pending)", 1);
        }
    }

    /// <summary>
    /// A 429 means "not processed", so the transport retries it even for an import. A gateway that
    /// processed the import and still answered 429 breaks that contract: the retry finds the token
    /// spent and the key Enabled. The client must still never import twice; it may report the
    /// import (describe-key settles it) or, as it does today, the KMS.0310 it got on the way.
    /// </summary>
    [Test]
    public async Task Import_Is_Never_Doubled_When_A_Gateway_Throttles_After_Processing()
    {
        (string keyId, KeyMaterial material) = await NewKeyAsync(asymmetric: false);
        using (material)
        {
            LocalKmsFault fault = Arm(Import, LocalKmsFaultKind.Throttle, before: false, count: 1, status: null);

            (KeyImportResult? result, Exception? error) = await ImportAsync(_host.Client, keyId, material);

            Assert.That(fault.Triggered, Is.EqualTo(1));
            Assert.That(_served.Kms.GetImportCount(keyId), Is.EqualTo(1), "imported once, never twice");
            Assert.That(_served.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
            if (error is not null)
            {
                Assert.That(error, Is.InstanceOf<KmsRequestFailedException>());
                Assert.That(((KmsRequestFailedException)error).ErrorCode, Is.EqualTo(KmsErrorCodes.KeyNotPendingImport), "the failure says the key already has material");
                Figures.Record("beyond the contract: 429 after processing", "imported once; the client reports KMS.0310 (key not pending import) instead of settling it by describe-key");
            }
            else
            {
                Assert.That(result!.MaterialFingerprint, Is.EqualTo(material.ComputeFingerprint()));
                Figures.Record("beyond the contract: 429 after processing", "imported once and reported as imported");
            }
        }
    }

    [Test]
    public async Task Signature_Failure_Is_Not_Retried()
    {
        await using ServedKms.ClientHost wrongKey = _served.CreateClient(ServedKms.FastRetry(s_attemptTimeout), credential: new AccessKeyCredential(_served.Server.AccessKey, "wrong-secret-key-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8))));
        (string keyId, KeyMaterial material) = await NewKeyAsync(asymmetric: false);
        using (material)
        {
            int before = TotalRequests();

            (KeyImportResult? result, Exception? error) = await ImportAsync(wrongKey.Client, keyId, material);

            await AssertNeverTwiceNeverFalseFailure(keyId, material, result, error);
            var failure = error as KmsRequestFailedException;
            Assert.That(failure, Is.Not.Null, error?.ToString());
            Assert.That(failure!.ErrorCode, Is.EqualTo(KmsErrorCodes.SignatureInvalid));
            Assert.That(failure.Status, Is.EqualTo(401));
            Assert.That(TotalRequests() - before, Is.EqualTo(1), "APIG.0301 is never retried: five lock the AK");
        }
    }

    private static TestCaseData Case(string name, string operation, LocalKmsFaultKind kind, bool before, int count, int? status = null, bool asymmetric = false) =>
        new TestCaseData(operation, kind, before, count, status, asymmetric).SetArgDisplayNames(asymmetric ? name + " (RSA-2048)" : name + " (AES-256)");

    private static TestCaseData Fatal(string name, string operation, LocalKmsFaultKind kind, int count, int status, string? code) =>
        new TestCaseData(operation, kind, count, status, code).SetArgDisplayNames(name);

    private LocalKmsFault Arm(string operation, LocalKmsFaultKind kind, bool before, int count, int? status) =>
        _served.Server.Faults.Add(new LocalKmsFault(kind)
        {
            Operation = operation,
            Count = count,
            Timing = before ? LocalKmsFaultTiming.BeforeProcessing : LocalKmsFaultTiming.AfterProcessing,
            StatusCode = status,
            Latency = s_slow,
            RetryAfter = TimeSpan.FromSeconds(1),
        });

    private int TotalRequests() =>
        new[] { "create-key", GetParameters, Import, "delete-imported-key-material", Describe }.Sum(_served.Server.GetRequestCount);

    private async Task<(string KeyId, KeyMaterial Material)> NewKeyAsync(bool asymmetric)
    {
        KeySpec spec = asymmetric ? KeySpec.Rsa2048 : KeySpec.Aes256;
        // Created in process: the faults are for the import workflow.
        CreateKeyResult created = await _served.Kms.CreateKeyAsync(new CreateKeyRequest("fault-" + Guid.NewGuid().ToString("N")[..12]) { KeySpec = spec });
        KeyMaterial material = asymmetric
            ? KeyMaterial.FromPrivateKey(TestKeys.Rsa2048Pkcs8(created.KeyId[0]))
            : KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
        return (created.KeyId, material);
    }

    internal static async Task<(KeyImportResult? Result, Exception? Error)> ImportAsync(IKeyImportClient client, string keyId, KeyMaterial material)
    {
        try
        {
            KeyImportResult result = await client.ImportKeyMaterialAsync(keyId, material).Within(TimeSpan.FromSeconds(60));
            SecretAudit.Texts.AddObject(result);
            return (result, null);
        }
        catch (Exception ex) when (ex is not AssertionException)
        {
            SecretAudit.Texts.AddException(ex);
            return (null, ex);
        }
    }

    private async Task AssertNeverTwiceNeverFalseFailure(string keyId, KeyMaterial material, KeyImportResult? result, Exception? error)
    {
        int imports = _served.Kms.GetImportCount(keyId);
        KeyDetails details = await _served.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
        Assert.That(imports, Is.LessThanOrEqualTo(1), "never imported twice");
        if (error is null)
        {
            Assert.That(imports, Is.EqualTo(1), "a reported success really imported");
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result!.MaterialFingerprint, Is.EqualTo(material.ComputeFingerprint()));
            Assert.That(_served.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()), "the emulator holds exactly this material");
        }
        else
        {
            Assert.That(imports, Is.Zero, $"a reported failure must not have imported (never a success reported as a failure): {error.Message}");
            Assert.That(details.KeyState, Is.EqualTo(KeyState.PendingImport));
        }
    }
}
