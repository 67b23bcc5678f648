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
    public void Clean_removes_control_characters_and_escape_sequences(string input, string expected) =>
        Assert.That(ServiceText.Clean(input, ServiceText.MaxMessageLength), Is.EqualTo(expected));

    [Test]
    public void Clean_cuts_long_text_with_its_full_length_and_a_second_clean_changes_nothing()
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
