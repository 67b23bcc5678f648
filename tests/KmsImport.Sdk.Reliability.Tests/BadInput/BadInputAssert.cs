namespace KmsImport.Sdk.Reliability.Tests.BadInput;

/// <summary>Message checks shared by the bad-input cases.</summary>
internal static class BadInputAssert
{
    /// <summary>Each keyword (alternatives separated by |) appears in the message, case-insensitively.</summary>
    public static void Mentions(string message, params string[] keywords)
    {
        foreach (string keyword in keywords)
        {
            Assert.That(keyword.Split('|').Any(k => message.Contains(k, StringComparison.OrdinalIgnoreCase)), Is.True, $"the message mentions '{keyword}': {message}");
        }
    }
}
