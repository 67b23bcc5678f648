using KmsImport.Sdk.Testing.Server;

namespace KmsImport.Sdk.Testing.Tests.Server;

public class OperationDispatcherTests
{
    [TestCase("/v1.0/0123abcd/kms/create-key", "0123abcd", "create-key")]
    [TestCase("/v1.0/p/kms/get-parameters-for-import", "p", "get-parameters-for-import")]
    [TestCase("/v1.0/p/kms/import-key-material", "p", "import-key-material")]
    [TestCase("/v1.0/p/kms/delete-imported-key-material", "p", "delete-imported-key-material")]
    [TestCase("/v1.0/p/kms/describe-key", "p", "describe-key")]
    [TestCase("/v1.0/p/kms/list-keys", "p", "list-keys")]
    [TestCase("/v1.0/p/kms/get-publickey", "p", "get-publickey")]
    public void TryRoute_Reads_Project_And_Operation(string path, string projectId, string operation)
    {
        Assert.Multiple(() =>
        {
            Assert.That(OperationDispatcher.TryRoute(path, out string routedProject, out string routedOperation), Is.True);
            Assert.That(routedProject, Is.EqualTo(projectId));
            Assert.That(routedOperation, Is.EqualTo(operation));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("/")]
    [TestCase("/v1.0//kms/create-key")]
    [TestCase("/v2.0/p/kms/create-key")]
    [TestCase("/v1.0/p/kmz/create-key")]
    [TestCase("/v1.0/p/kms/encrypt-data")]
    [TestCase("/v1.0/p/kms/create-key/")]
    [TestCase("v1.0/p/kms/create-key")]
    [TestCase("/v1.0/p/kms/CREATE-KEY")]
    public void TryRoute_Refuses_A_Path_Outside_The_Contract(string? path)
    {
        Assert.That(OperationDispatcher.TryRoute(path, out _, out _), Is.False);
    }

    [Test]
    public void Dispatch_Refuses_A_Body_That_Is_Not_A_Json_Object_With_The_Invalid_Parameter_Code()
    {
        using var kms = new LocalKms();
        KmsRequestFailedException notJson = Assert.Throws<KmsRequestFailedException>(() => OperationDispatcher.Dispatch(kms, "describe-key", "{"u8.ToArray(), "r1"))!;
        KmsRequestFailedException array = Assert.Throws<KmsRequestFailedException>(() => OperationDispatcher.Dispatch(kms, "describe-key", "[]"u8.ToArray(), "r2"))!;
        Assert.Multiple(() =>
        {
            Assert.That(notJson.ErrorCode, Is.EqualTo("KMS.0201"));
            Assert.That(array.ErrorCode, Is.EqualTo("KMS.0201"));
            Assert.That(kms.KeyCount, Is.Zero);
        });
    }

    [Test]
    public void Dispatch_Runs_The_Operation_On_The_Emulator()
    {
        using var kms = new LocalKms();
        byte[] answer = OperationDispatcher.Dispatch(kms, "create-key", """{"key_alias":"routed","origin":"external"}"""u8.ToArray(), "r3");
        Assert.Multiple(() =>
        {
            Assert.That(kms.KeyCount, Is.EqualTo(1));
            Assert.That(System.Text.Encoding.UTF8.GetString(answer), Does.Contain("\"key_id\""));
        });
    }
}
