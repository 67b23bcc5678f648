using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Finds the key block in PEM text and tells what its label means, for the private-key loaders and
/// <see cref="WrappingPublicKey"/>; every refusal says what is wrong with the file. Decoding the Base64
/// is the caller's, which owns (and for a private key zeroes) the buffer.
/// </summary>
internal static class PemReader
{
    private const string EcParametersLabel = "EC PARAMETERS";

    /// <summary>
    /// The one private key block of <paramref name="pem"/>; <c>EC PARAMETERS</c> blocks (as <c>openssl ecparam -genkey</c>
    /// writes them) are skipped, and only whitespace and a leading byte order mark may surround the blocks.
    /// </summary>
    /// <param name="pem">The PEM text.</param>
    /// <returns>The block's label and where its Base64 lies in <paramref name="pem"/>.</returns>
    /// <exception cref="KeyImportValidationException">
    /// The text is empty, uses legacy PEM encryption, is malformed or truncated, has text outside its blocks, or
    /// holds no or several key blocks.
    /// </exception>
    public static (string Label, Range Base64) FindPrivateKeyBlock(ReadOnlySpan<char> pem)
    {
        int start = pem.StartsWith('\uFEFF') ? 1 : 0;
        pem = pem[start..];
        if (pem.IsWhiteSpace())
        {
            throw new KeyImportValidationException("The private key is empty. Pass the PEM or DER file of the private key to import.");
        }

        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new KeyImportValidationException(
                "The private key uses OpenSSL's legacy PEM encryption (Proc-Type: 4,ENCRYPTED), which is not supported. Convert it to encrypted PKCS#8 with 'openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem' and pass that file with its password.");
        }

        Range keyBase64 = default;
        string? keyLabel = null;
        int keyBlocks = 0;
        int position = 0;
        while (position < pem.Length && !pem[position..].IsWhiteSpace())
        {
            ReadOnlySpan<char> rest = pem[position..];
            if (!PemEncoding.TryFind(rest, out PemFields fields))
            {
                throw new KeyImportValidationException(
                    rest.Contains("-----BEGIN", StringComparison.Ordinal) ? "The private key PEM is malformed: a '-----BEGIN' line has no matching '-----END' line or the Base64 between them is invalid (the file may be truncated or edited)."
                    : position > 0 ? "The private key PEM has text after its last '-----END' line; keep only the key block."
                    : "The private key is not PEM: no '-----BEGIN ...-----' line was found. Pass a PEM file or DER bytes.");
            }

            if (!rest[..fields.Location.Start].IsWhiteSpace())
            {
                throw new KeyImportValidationException("The private key PEM has text outside its '-----BEGIN' / '-----END' block; keep only the key block.");
            }

            ReadOnlySpan<char> label = rest[fields.Label];
            if (!label.SequenceEqual(EcParametersLabel))
            {
                keyBlocks++;
                keyLabel = label.ToString();
                keyBase64 = new Range(start + position + fields.Base64Data.Start.Value, start + position + fields.Base64Data.End.Value);
            }

            position += fields.Location.End.Value;
        }

        if (keyBlocks == 0)
        {
            throw new KeyImportValidationException(
                "The PEM holds only EC PARAMETERS and no private key. Generate the key with 'openssl ecparam -name prime256v1 -genkey -noout -out key.pem'.");
        }

        if (keyBlocks > 1)
        {
            throw new KeyImportValidationException($"The PEM holds {keyBlocks} blocks; pass a file with exactly one private key.");
        }

        return (keyLabel!, keyBase64);
    }

    /// <summary>The structure a private key block's label announces.</summary>
    /// <param name="label">The label of the block <see cref="FindPrivateKeyBlock"/> found.</param>
    /// <returns>The format the DER must have.</returns>
    /// <exception cref="KeyImportValidationException">The label is a public key, a certificate, an OpenSSH key or unknown.</exception>
    public static PrivateKeyFormat PrivateKeyFormatOf(string label) => label switch
    {
        "PRIVATE KEY" => PrivateKeyFormat.Pkcs8,
        "ENCRYPTED PRIVATE KEY" => PrivateKeyFormat.EncryptedPkcs8,
        "RSA PRIVATE KEY" => PrivateKeyFormat.Pkcs1,
        "EC PRIVATE KEY" or "SM2 PRIVATE KEY" => PrivateKeyFormat.Sec1,
        "PUBLIC KEY" or "RSA PUBLIC KEY" or "EC PUBLIC KEY" => throw new KeyImportValidationException(
            $"The PEM holds a public key ('{label}'); key material must be the private key. Pass the private key file."),
        "CERTIFICATE" => throw new KeyImportValidationException(
            "The PEM holds a certificate, which contains no private key. Pass the private key file."),
        "OPENSSH PRIVATE KEY" => throw new KeyImportValidationException(
            "The PEM holds an OpenSSH private key, which is not supported. Convert it to PKCS#8 with 'ssh-keygen -p -m PKCS8 -f <key file>'."),
        _ => throw new KeyImportValidationException(
            $"The PEM label '{label}' is not a supported private key; expected PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY."),
    };

    /// <summary>
    /// The one block of a wrapping public key PEM: <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) or <c>RSA PUBLIC KEY</c>
    /// (PKCS#1), with only whitespace around it. A private key's label is refused before anything is decoded.
    /// </summary>
    /// <param name="text">The PEM text, not empty.</param>
    /// <param name="isSubjectPublicKeyInfo">Whether the label is <c>PUBLIC KEY</c> rather than <c>RSA PUBLIC KEY</c>.</param>
    /// <returns>The block.</returns>
    /// <exception cref="KeyImportValidationException">The PEM is malformed, has text around its block, or has another label.</exception>
    public static PemFields FindWrappingPublicKeyBlock(ReadOnlySpan<char> text, out bool isSubjectPublicKeyInfo)
    {
        if (!PemEncoding.TryFind(text, out PemFields fields))
        {
            throw new KeyImportValidationException(
                "The wrapping public key PEM is malformed: no complete '-----BEGIN ...-----' / '-----END ...-----' block with valid Base64 was found (it may be truncated or edited). " + WrappingPublicKey.HowToGetKey);
        }

        if (!text[..fields.Location.Start].IsWhiteSpace() || !text[fields.Location.End..].IsWhiteSpace())
        {
            throw new KeyImportValidationException("The wrapping public key PEM has extra text before or after its block; keep only one '-----BEGIN PUBLIC KEY-----' block.");
        }

        ReadOnlySpan<char> label = text[fields.Label];
        isSubjectPublicKeyInfo = label.SequenceEqual("PUBLIC KEY");
        if (!isSubjectPublicKeyInfo && !label.SequenceEqual("RSA PUBLIC KEY"))
        {
            string found = label.ToString();
            throw new KeyImportValidationException(found.Contains("PRIVATE", StringComparison.Ordinal)
                ? $"The wrapping public key PEM holds a private key ('{found}'). The wrapping key is the service's public key; never pass a private key here. " + WrappingPublicKey.HowToGetKey
                : $"The wrapping public key PEM has label '{found}'; expected 'PUBLIC KEY' or 'RSA PUBLIC KEY'. " + WrappingPublicKey.HowToGetKey);
        }

        return fields;
    }
}
