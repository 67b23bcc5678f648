namespace KmsImport.Sdk;

/// <summary>How an import was confirmed; see <see cref="ImportConfirmation"/>.</summary>
public enum ImportConfirmationKind
{
    /// <summary>The service answered our import-key-material with success.</summary>
    ServiceAccepted = 0,

    /// <summary>
    /// The key's public key (get-publickey, asked after the import) is the public half of our
    /// material: the key holds our private key. Every asymmetric import is confirmed this way when
    /// get-publickey answers.
    /// </summary>
    PublicKeyMatches = 1,

    /// <summary>
    /// Only the key's state: an import's outcome was unknown and describe-key then found the key
    /// Enabled. The key holds material, but it is not proven to be ours.
    /// </summary>
    KeyStateOnly = 2,
}
