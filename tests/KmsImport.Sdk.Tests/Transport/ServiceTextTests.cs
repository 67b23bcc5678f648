namespace KmsImport.Sdk.Tests.Transport;

public class ServiceTextTests
{
    [TestCase("plain text", "plain text")]
    [TestCase("line\r\nbreak\ttab", "line break tab")]
    [TestCase("\u001b[1;31mred\u001b[0m", "red")]
    [TestCase("title\u001b]0;evil title\u0007 after", "title after")]
    [TestCase("osc with st \u001b]8;;http://x\u001b\\link", "osc with st link")]
    [TestCase("bidi \u202Eevil\u202C done", "bidi evil done")]
    [TestCase("bell\u0007 and nul\0 and del\u007f", "bell and nul and del")]
    public void Control_Characters_And_Escape_Sequences_Are_Removed(string input, string expected) =>
        Assert.That(ServiceText.Clean(input, ServiceText.MaxMessageLength), Is.EqualTo(expected));

    [Test]
    public void Long_Text_Is_Cut_With_Its_Full_Length_And_Cleaning_Twice_Changes_Nothing()
    {
        string input = new string('a', 200_000) + "\u001b[2J";
        string cleaned = ServiceText.Clean(input, ServiceText.MaxMessageLength)!;
        Assert.Multiple(() =>
        {
            Assert.That(cleaned, Has.Length.LessThanOrEqualTo(ServiceText.MaxMessageLength));
            Assert.That(cleaned, Does.StartWith("aaaa").And.EndWith($"... ({input.Length} characters)"));
            Assert.That(ServiceText.Clean(cleaned, ServiceText.MaxMessageLength), Is.EqualTo(cleaned));
        });
    }

    [Test]
    public void The_Exception_Keeps_The_Request_Id_And_Bounds_The_Message()
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
