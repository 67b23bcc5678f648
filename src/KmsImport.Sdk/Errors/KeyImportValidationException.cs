namespace KmsImport.Sdk;

/// <summary>
/// The input cannot be imported as given: a malformed or unsupported key, material that does not
/// match the key spec, an expiry in the past, a key in the wrong state. It is thrown before
/// anything is sent (or before the import is sent, for checks that need describe-key), and its
/// message says what is wrong and how to fix it.
/// </summary>
/// <remarks>Messages never contain key material, tokens or credentials.</remarks>
public class KeyImportValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public KeyImportValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the exception that revealed the problem.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying exception.</param>
    public KeyImportValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
