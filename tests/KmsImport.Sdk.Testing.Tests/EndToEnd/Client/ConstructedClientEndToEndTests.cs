using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Client;

/// <summary>
/// The README's ten-line program: a client built with its constructor (no DI) and an
/// <see cref="AccessKeyCredential"/>, over real loopback sockets to the served emulator.
/// </summary>
[CancelAfter(120_000)]
public class ConstructedClientEndToEndTests
{
    [Test]
    public async Task A_Client_Built_Without_DI_Imports_A_Key_Into_The_Served_Emulator(CancellationToken ct)
    {
        await using LocalKmsServer server = await LocalKmsServer.StartAsync();

        using var client = new KeyImportClient(server.BaseAddress, new AccessKeyCredential(server.AccessKey, server.SecretKey), new KeyImportClientOptions { ProjectId = server.ProjectId });
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        KeyImportResult result = await client.CreateKeyAndImportAsync(new CreateKeyRequest("no-di-ten-lines"), material, cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(server.Kms.KeyCount, Is.EqualTo(1));
            Assert.That(server.GetRequestCount("import-key-material"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_Wrong_Secret_Key_Is_Refused_By_The_Served_Emulator(CancellationToken ct)
    {
        await using LocalKmsServer server = await LocalKmsServer.StartAsync();
        using var client = new KeyImportClient(server.BaseAddress, new AccessKeyCredential(server.AccessKey, "not-the-secret-key-0000000000000000000"), new KeyImportClientOptions { ProjectId = server.ProjectId });

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => client.CreateKeyAsync(new CreateKeyRequest("refused"), ct));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ErrorCode, Is.EqualTo(KmsErrorCodes.SignatureInvalid));
            Assert.That(server.Kms.KeyCount, Is.Zero);
        });
    }

    [Test]
    public async Task A_Disposed_Client_Has_Closed_Its_Own_Connections(CancellationToken ct)
    {
        await using LocalKmsServer server = await LocalKmsServer.StartAsync();
        var client = new KeyImportClient(server.BaseAddress, new AccessKeyCredential(server.AccessKey, server.SecretKey), new KeyImportClientOptions { ProjectId = server.ProjectId });
        await client.CreateKeyAsync(new CreateKeyRequest("before-dispose"), ct);

        client.Dispose();

        Assert.That(async () => await client.CreateKeyAsync(new CreateKeyRequest("after-dispose"), ct), Throws.InstanceOf<Exception>().With.Message.Contains("disposed").Or.InnerException.TypeOf<ObjectDisposedException>());
        Assert.That(server.GetRequestCount("create-key"), Is.EqualTo(1));
    }
}
