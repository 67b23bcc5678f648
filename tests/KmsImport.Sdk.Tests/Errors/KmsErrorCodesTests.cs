namespace KmsImport.Sdk.Tests.Errors;

public class KmsErrorCodesTests
{
    // Each 2026 code tells the user what to do.
    [TestCase("KMS.1104", "alias")]
    [TestCase("KMS.0320", "renew")]
    [TestCase("KMS.0328", "renew")]
    [TestCase("KMS.0339", "default keystore")]
    [TestCase("KMS.1404", "original region")]
    [TestCase("KMS.0106", "primary region")]
    [TestCase("KMS.0312", "cannot be rotated")]
    [TestCase("KMS.0301", "project-scoped token")]
    [TestCase("KMS.0303", "IAM token expired")]
    public void New_Codes_Have_An_Actionable_Hint_In_The_Exception_Message(string code, string words)
    {
        var ex = new KmsRequestFailedException(400, code, "service text", "rid", "import-key-material");

        Assert.That(ex.Message, Does.Contain(words));
    }
}
