namespace KmsImport.Sdk.Tests.Errors;

public class ServiceTextTests
{
    [TestCase("plain text", "plain text")]
    [TestCase("line\r\nbreak\ttab", "line break tab")]
    [TestCase("\u001b[1;31mred\u001b[0m", "red")]
    [TestCase("title\u001b]0;evil title\u0007 after", "title after")]
    [TestCase("osc with st \u001b]8;;http://x\u001b\\link", "osc with st link")]
    [TestCase("bidi \u202Eevil\u202C done", "bidi evil done")]
    [TestCase("bell\u0007 and nul\0 and del\u007f", "bell and nul and del")]
    public void Clean_Removes_Control_Characters_And_Escape_Sequences(string input, string expected) =>
        Assert.That(ServiceText.Clean(input, ServiceText.MaxMessageLength), Is.EqualTo(expected));

    [Test]
    public void Clean_Cuts_Long_Text_With_Its_Full_Length_And_A_Second_Clean_Changes_Nothing()
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
}
