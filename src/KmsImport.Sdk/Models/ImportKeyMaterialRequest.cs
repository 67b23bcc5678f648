namespace KmsImport.Sdk;

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
