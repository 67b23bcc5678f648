namespace KmsImport.Sdk;

/// <summary>create-key: a new key; for import, with <see cref="KeyOrigin.External"/>.</summary>
/// <param name="KeyAlias">The alias, <c>^[a-zA-Z0-9:/_-]{1,255}$</c>.</param>
public sealed record CreateKeyRequest(string KeyAlias)
{
    /// <summary>The key spec; the service defaults to AES_256.</summary>
    public KeySpec KeySpec { get; init; } = KeySpec.Aes256;

    /// <summary>The key usage; null lets the service pick the spec's default.</summary>
    public KeyUsage? KeyUsage { get; init; }

    /// <summary>A description of up to 255 characters.</summary>
    public string? KeyDescription { get; init; }

    /// <summary>The origin; <see cref="KeyOrigin.External"/> (the default here) for imported material.</summary>
    public KeyOrigin Origin { get; init; } = KeyOrigin.External;

    /// <summary>The enterprise project id, if any.</summary>
    public string? EnterpriseProjectId { get; init; }

    /// <summary>
    /// The keystore; null or <c>"0"</c> for the default keystore. Keys in a custom keystore cannot
    /// take imported material (<c>KMS.0339</c>).
    /// </summary>
    public string? KeystoreId { get; init; }

    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}

/// <summary>The result of create-key.</summary>
/// <remarks>In tests, built by <see cref="KmsImportModelFactory.CreateKeyResult"/>.</remarks>
public sealed record CreateKeyResult
{
    /// <summary>The new key's id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The account (domain) id.</summary>
    public string? DomainId { get; init; }
}

/// <summary>get-parameters-for-import.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record GetParametersForImportRequest(string KeyId)
{
    /// <summary>The wrapping algorithm; RSAES_OAEP_SHA_256 by default.</summary>
    public WrappingAlgorithm WrappingAlgorithm { get; init; } = WrappingAlgorithm.RsaesOaepSha256;

    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}

/// <summary>import-key-material, with material that is already wrapped (Base64 as the API takes it).</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="ImportToken">The import token from get-parameters-for-import. A secret.</param>
/// <param name="EncryptedKeyMaterial">Base64 of RSA-OAEP(wrapping key, material or temporary key).</param>
public sealed record ImportKeyMaterialRequest(string KeyId, string ImportToken, string EncryptedKeyMaterial)
{
    /// <summary>For asymmetric keys: Base64 of the RFC 5649 wrap of the PKCS#8 private key under the temporary key.</summary>
    public string? EncryptedPrivateKey { get; init; }

    /// <summary>When symmetric material expires; null for never. Sent as epoch seconds.</summary>
    public DateTimeOffset? MaterialExpiresOn { get; init; }

    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }

    /// <summary>A description without the import token or the ciphertexts.</summary>
    /// <returns>The key id, whether a private key is carried and the expiry.</returns>
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder("ImportKeyMaterialRequest { ");
        PrintMembers(builder);
        return builder.Append(" }").ToString();
    }

    // Replaces the compiler's member printer, which would print the import token and the ciphertexts.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"KeyId = {KeyId}, ImportToken = ***, HasPrivateKey = {EncryptedPrivateKey is not null}, MaterialExpiresOn = {MaterialExpiresOn?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}");
        return true;
    }
}

/// <summary>delete-imported-key-material.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record DeleteImportedKeyMaterialRequest(string KeyId)
{
    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}

/// <summary>describe-key.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record DescribeKeyRequest(string KeyId)
{
    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
