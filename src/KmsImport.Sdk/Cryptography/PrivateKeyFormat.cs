namespace KmsImport.Sdk.Cryptography;

/// <summary>The DER structures a private key arrives in, told apart by <see cref="DerKeyReader.InspectPrivateKey"/> or named by a PEM label.</summary>
internal enum PrivateKeyFormat
{
    /// <summary>PKCS#8 PrivateKeyInfo (<c>PRIVATE KEY</c>).</summary>
    Pkcs8,

    /// <summary>PKCS#8 EncryptedPrivateKeyInfo (<c>ENCRYPTED PRIVATE KEY</c>).</summary>
    EncryptedPkcs8,

    /// <summary>PKCS#1 RSAPrivateKey (<c>RSA PRIVATE KEY</c>).</summary>
    Pkcs1,

    /// <summary>SEC1 ECPrivateKey (<c>EC PRIVATE KEY</c>, OpenSSL's <c>SM2 PRIVATE KEY</c>).</summary>
    Sec1,
}
