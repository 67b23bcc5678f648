using KmsImport.Sdk.Tests.TestSupport;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

// create-key never loses a key and never makes two: an unknown outcome is settled by creating the
// same alias again (KMS.1104 means the first attempt created it) and finding the key with list-keys.
[CancelAfter(20_000)]
public class KeyImportClientCreateKeyTests
{
    private const string Alias = "tenant-7/data";

    private static KeyDetails Listed(string keyId, string alias, KeySpec? spec = null, KeyOrigin? origin = null, DateTimeOffset? created = null, KeyState? state = null) => new()
    {
        KeyId = keyId,
        KeyAlias = alias,
        KeyState = state ?? KeyState.PendingImport,
        KeySpec = spec ?? KeySpec.Aes256,
        Origin = origin ?? KeyOrigin.External,
        CreationDate = created ?? Start,
    };

    private static IEnumerable<TestCaseData> UnknownOutcomes()
    {
        yield return new TestCaseData(Error(500, "KMS.0101")).SetArgDisplayNames("500");
        yield return new TestCaseData(Error(502)).SetArgDisplayNames("502");
        yield return new TestCaseData(Error(504)).SetArgDisplayNames("504");
        yield return new TestCaseData(Error(0)).SetArgDisplayNames("no answer");
    }

    [TestCaseSource(nameof(UnknownOutcomes))]
    public async Task After_An_Unknown_Outcome_KMS_1104_Means_The_First_Attempt_Created_The_Key_Which_List_Keys_Finds(KmsRequestFailedException unknown, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string created = NewKeyId();
        List<CreateKeyRequest> requests = context.SetupCreate("unused", unknown, Error(400, KmsErrorCodes.DuplicateAlias));
        context.SetupListKeys(Listed(NewKeyId(), "someone-else"), Listed(created, Alias));

        CreateKeyResult result = await context.Client.CreateKeyAsync(new CreateKeyRequest(Alias), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyId, Is.EqualTo(created));
            Assert.That(requests.Select(r => r.KeyAlias), Is.EqualTo(new[] { Alias, Alias }), "created again with the same alias");
            Assert.That(context.Logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(1019), "logged that it settled an unknown outcome");
        });
        context.Transport.Verify(t => t.ListKeysAsync(It.Is<ListKeysRequest>(r => r.KeySpec == ListKeysRequest.AllKeySpecs), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task After_An_Unknown_Outcome_A_Successful_Second_Create_Means_The_First_Created_Nothing(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        List<CreateKeyRequest> requests = context.SetupCreate(keyId, Error(504));

        CreateKeyResult result = await context.Client.CreateKeyAsync(new CreateKeyRequest(Alias), cancellationToken);

        Assert.That(result.KeyId, Is.EqualTo(keyId));
        Assert.That(requests, Has.Count.EqualTo(2));
        Assert.That(context.Logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(1020));
    }

    private static IEnumerable<TestCaseData> Unsettled()
    {
        yield return new TestCaseData(Array.Empty<KeyDetails>(), "no key with that alias").SetArgDisplayNames("none");
        yield return new TestCaseData(new[] { Listed("0d0466b0-e727-4d9c-b35d-f84bb474a37f", Alias), Listed("1e1577c1-f838-5e0d-c46e-095cc5b585a0", Alias) }, "2 keys with that alias").SetArgDisplayNames("two");
        yield return new TestCaseData(new[] { Listed("0d0466b0-e727-4d9c-b35d-f84bb474a37f", Alias, spec: KeySpec.Rsa2048) }, "not the key asked for").SetArgDisplayNames("other spec");
        yield return new TestCaseData(new[] { Listed("0d0466b0-e727-4d9c-b35d-f84bb474a37f", Alias, created: Start.AddDays(-30)) }, "not the key asked for").SetArgDisplayNames("older key");
        yield return new TestCaseData(new[] { Listed("0d0466b0-e727-4d9c-b35d-f84bb474a37f", Alias, state: KeyState.Enabled) }, "not the key asked for").SetArgDisplayNames("external key already enabled");
    }

    [TestCaseSource(nameof(Unsettled))]
    public void When_The_Lookup_Finds_None_Or_Several_The_Outcome_Is_Reported_Unknown_With_What_Was_Found(KeyDetails[] found, string what)
    {
        var context = new ClientTestContext();
        context.SetupCreate("unused", Error(500), Error(400, KmsErrorCodes.DuplicateAlias));
        context.SetupListKeys(found);

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.CreateKeyAsync(new CreateKeyRequest(Alias)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.IsOutcomeUnknown, Is.True);
            Assert.That(ex.Message, Does.Contain(what).And.Contain(Alias));
            foreach (KeyDetails key in found.Length > 1 ? found : [])
            {
                Assert.That(ex.Message, Does.Contain(key.KeyId));
            }
        });
    }

    private static KmsRequestFailedException DuplicateAfterRetry() =>
        new(400, KmsErrorCodes.DuplicateAlias, "scripted error", "req-dup", "create-key") { AfterRetry = true };

    [Test]
    public async Task A_Duplicate_Alias_Answered_To_A_Transport_Retry_Is_Settled_By_The_Alias(CancellationToken cancellationToken)
    {
        // The 503 the transport retried had created the key: its retry is answered KMS.1104.
        var context = new ClientTestContext();
        string created = NewKeyId();
        List<CreateKeyRequest> requests = context.SetupCreate("unused", DuplicateAfterRetry());
        context.SetupListKeys(Listed(created, Alias));

        CreateKeyResult result = await context.Client.CreateKeyAsync(new CreateKeyRequest(Alias), cancellationToken);

        Assert.That(result.KeyId, Is.EqualTo(created));
        Assert.That(requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_Duplicate_Alias_Answered_To_A_Transport_Retry_For_A_Key_Older_Than_The_Call_Is_The_Plain_Duplicate()
    {
        var context = new ClientTestContext();
        context.SetupCreate("unused", DuplicateAfterRetry());
        context.SetupListKeys(Listed(NewKeyId(), Alias, created: Start.AddDays(-30), state: KeyState.Enabled));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.CreateKeyAsync(new CreateKeyRequest(Alias)));

        Assert.That(ex!.ErrorCode, Is.EqualTo(KmsErrorCodes.DuplicateAlias));
        Assert.That(ex.IsOutcomeUnknown, Is.False);
        Assert.That(ex.Status, Is.EqualTo(400));
    }

    [TestCase(429, "APIG.0308")]
    [TestCase(400, "KMS.1105")]
    [TestCase(400, "KMS.0320")]
    public void After_An_Unknown_Outcome_A_Definite_Refusal_Of_The_Retry_Stays_Unknown(int status, string code)
    {
        var context = new ClientTestContext();
        context.SetupCreate("unused", Error(500), Error(status, code));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.CreateKeyAsync(new CreateKeyRequest(Alias)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.IsOutcomeUnknown, Is.True);
            Assert.That(ex.Status, Is.EqualTo(0));
            Assert.That(ex.Message, Does.Contain(code).And.Contain(Alias).And.Contain("may or may not"));
        });
    }

    [Test]
    public void A_Duplicate_Alias_On_The_First_Attempt_Is_The_Caller_S_Error_And_Nothing_Is_Looked_Up()
    {
        var context = new ClientTestContext();
        context.SetupCreate("unused", Error(400, KmsErrorCodes.DuplicateAlias));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.CreateKeyAsync(new CreateKeyRequest(Alias)));

        Assert.That(ex!.ErrorCode, Is.EqualTo(KmsErrorCodes.DuplicateAlias));
        Assert.That(ex.Message, Does.Contain("choose another alias"));
        context.Transport.Verify(t => t.ListKeysAsync(It.IsAny<ListKeysRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Create_Key_And_Import_Settles_An_Unknown_Create_And_Imports_Into_The_Key_Found(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        context.SetupCreate("unused", Error(500), Error(400, KmsErrorCodes.DuplicateAlias));
        context.SetupListKeys(Listed(keyId, Alias));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId);
        using var material = NewAes256();

        KeyImportResult result = await context.Client.CreateKeyAndImportAsync(new CreateKeyRequest(Alias), material, cancellationToken: cancellationToken);

        Assert.That(result.KeyId, Is.EqualTo(keyId));
        context.VerifyImportCount(keyId, 1);
    }

    [Test]
    public void An_External_Key_In_A_Custom_Keystore_Is_Refused_Before_Anything_Is_Sent()
    {
        var context = new ClientTestContext();
        using var material = NewAes256();

        var create = Assert.ThrowsAsync<KeyImportValidationException>(() => context.Client.CreateKeyAsync(new CreateKeyRequest(Alias) { KeystoreId = "ks-1" }));
        var both = Assert.ThrowsAsync<KeyImportValidationException>(() => context.Client.CreateKeyAndImportAsync(new CreateKeyRequest(Alias) { KeystoreId = "ks-1" }, material));

        Assert.That(create!.Message, Does.Contain("default keystore").And.Contain(KmsErrorCodes.CustomKeystoreNoImport));
        Assert.That(both!.Message, Does.Contain("default keystore"));
        Assert.That(context.Transport.Invocations, Is.Empty);
    }
}
