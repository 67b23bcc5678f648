namespace KmsImport.Sdk.Tests.Errors;

public class KmsRequestFailedExceptionTests
{
    [Test]
    public void Message_Keeps_The_Request_Id_And_Bounds_The_Service_Text()
    {
        var ex = new KmsRequestFailedException(400, "KMS.0201", new string('m', 10_000) + "\r\nforged line", "req-1", "describe-key");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("[request id req-1]").And.Contain("(10013 characters)"));
            Assert.That(ex.Message, Has.Length.LessThan(500));
            Assert.That(ex.Message.AsSpan().ContainsAny('\r', '\n'), Is.False);
            Assert.That(ex.ServiceMessage, Has.Length.LessThanOrEqualTo(ServiceText.MaxMessageLength));
        });
    }
}
