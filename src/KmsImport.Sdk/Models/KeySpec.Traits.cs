namespace KmsImport.Sdk;

public readonly partial struct KeySpec
{
    /// <summary>Whether this is a known symmetric spec (AES, SM4, HMAC).</summary>
    public bool IsSymmetric => this == Aes256 || this == Sm4 || IsHmac;

    /// <summary>Whether this is a known asymmetric spec (RSA, EC, SM2, Ed25519).</summary>
    public bool IsAsymmetric => IsRsa || IsEllipticCurve || this == Sm2 || this == Ed25519;

    /// <summary>Whether this is one of the HMAC specs.</summary>
    public bool IsHmac => this == Hmac256 || this == Hmac384 || this == Hmac512 || this == HmacSm3;

    /// <summary>Whether this is one of the RSA specs.</summary>
    public bool IsRsa => this == Rsa2048 || this == Rsa3072 || this == Rsa4096;

    /// <summary>Whether this is one of the ECDSA specs (P-256, P-384, secp256k1).</summary>
    public bool IsEllipticCurve => this == EcP256 || this == EcP384 || this == Secp256k1;

    /// <summary>
    /// Whether some cloud documents importing material for this spec: AES_256, HMAC_256/384/512 (Open Telekom
    /// Cloud), RSA_2048/3072/4096, EC_P256, EC_P384, and SM4 and SM2 (Huawei's Chinese regions). Which cloud and
    /// region accepts which spec is <see cref="KmsCapabilities"/>.
    /// </summary>
    public bool IsImportable =>
        this == Aes256 || this == Hmac256 || this == Hmac384 || this == Hmac512 || IsRsa || this == EcP256 || this == EcP384 || IsSm;

    /// <summary>Whether this is one of the Chinese national algorithm specs that import under SM2_ENCRYPT (SM4, SM2).</summary>
    public bool IsSm => this == Sm4 || this == Sm2;

    /// <summary>The length in bytes of symmetric material for an importable symmetric spec; otherwise null.</summary>
    public int? SymmetricMaterialLength =>
        this == Sm4 ? 16 :
        this == Aes256 || this == Hmac256 ? 32 :
        this == Hmac384 ? 48 :
        this == Hmac512 ? 64 :
        null;

    /// <summary>The RSA modulus size in bits for an RSA spec; otherwise null.</summary>
    public int? RsaKeySizeInBits =>
        this == Rsa2048 ? 2048 :
        this == Rsa3072 ? 3072 :
        this == Rsa4096 ? 4096 :
        null;

    /// <summary>The default key usage the service assigns to this spec.</summary>
    public KeyUsage DefaultUsage => IsHmac ? KeyUsage.GenerateVerifyMac : IsAsymmetric ? KeyUsage.SignVerify : KeyUsage.EncryptDecrypt;
}
