using System.Formats.Asn1;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Reads the ASN.1 of key files in place (System.Formats.Asn1, no copies: the bytes may be a private key):
/// which private-key structure a DER holds, AlgorithmIdentifiers, and the parts of PKCS#8 and SEC1 keys the
/// SM2 code needs.
/// </summary>
internal static class DerKeyReader
{
    private const AsnEncodingRules PrivateKeyRules = AsnEncodingRules.BER;

    // ECPrivateKey's [0] parameters (the named curve) and [1] publicKey.
    private static readonly Asn1Tag s_ecParametersTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag s_ecPublicKeyTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    /// <summary>
    /// Tells which private-key structure <paramref name="der"/> holds from its first fields, and for PKCS#8 and SEC1
    /// the algorithm and curve OIDs it names.
    /// </summary>
    /// <param name="der">The whole input; nothing may follow the structure.</param>
    /// <param name="source">How messages name the input (<c>DER</c>, <c>'PRIVATE KEY' PEM</c>).</param>
    /// <param name="algorithmOid">PKCS#8: the AlgorithmIdentifier's OID; otherwise null.</param>
    /// <param name="curveOid">PKCS#8 and SEC1: the named curve, if the parameters are an OID; otherwise null.</param>
    /// <returns>The format.</returns>
    /// <exception cref="KeyImportValidationException">Bytes follow the structure, or it is a public key, a certificate or another structure.</exception>
    /// <exception cref="AsnContentException">The structure is malformed or truncated.</exception>
    public static PrivateKeyFormat InspectPrivateKey(ReadOnlySpan<byte> der, string source, out string? algorithmOid, out string? curveOid)
    {
        algorithmOid = null;
        curveOid = null;
        AsnDecoder.ReadSequence(der, PrivateKeyRules, out int offset, out int length, out int consumed);
        if (consumed != der.Length)
        {
            throw new KeyImportValidationException(
                $"The private key {source} has {der.Length - consumed} unexpected bytes after its structure; the file may have been appended to or concatenated with another. Pass only the key.");
        }

        ReadOnlySpan<byte> body = der.Slice(offset, length);
        Asn1Tag first = Asn1Tag.Decode(body, out _);
        if (first.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            AsnDecoder.ReadEncodedValue(body, PrivateKeyRules, out _, out _, out int firstLength);
            Asn1Tag second = Asn1Tag.Decode(body[firstLength..], out _);
            if (second.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
            {
                return PrivateKeyFormat.EncryptedPkcs8;
            }

            throw new KeyImportValidationException(second.HasSameClassAndValue(Asn1Tag.PrimitiveBitString)
                ? "The data is a public key (SubjectPublicKeyInfo); key material must be the private key. Pass the private key file."
                : "The data is not a private key (it looks like a certificate or another structure). Pass the private key file.");
        }

        if (!first.HasSameClassAndValue(Asn1Tag.Integer))
        {
            throw new KeyImportValidationException($"The private key {source} is not a PKCS#8, PKCS#1 or SEC1 structure. Pass a PEM or DER private key.");
        }

        if (!AsnDecoder.TryReadInt32(body, PrivateKeyRules, out int version, out int read))
        {
            throw new KeyImportValidationException($"The private key {source} has an unsupported version number.");
        }

        body = body[read..];
        Asn1Tag next = Asn1Tag.Decode(body, out _);
        if (next.HasSameClassAndValue(Asn1Tag.Sequence) && version is 0 or 1)
        {
            // PrivateKeyInfo: version, AlgorithmIdentifier { algorithm, parameters (a named curve OID for EC) }, ...
            ReadAlgorithmIdentifier(body, PrivateKeyRules, out string algorithm, out curveOid);
            algorithmOid = algorithm;
            return PrivateKeyFormat.Pkcs8;
        }

        if (next.HasSameClassAndValue(Asn1Tag.Integer) && version is 0 or 1)
        {
            return PrivateKeyFormat.Pkcs1;
        }

        if (next.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString) && version == 1)
        {
            // ECPrivateKey: privateKey, [0] parameters (named curve OID), [1] publicKey.
            AsnDecoder.ReadEncodedValue(body, PrivateKeyRules, out _, out _, out int keyLength);
            body = body[keyLength..];
            if (!body.IsEmpty && Asn1Tag.Decode(body, out _) == s_ecParametersTag)
            {
                AsnDecoder.ReadEncodedValue(body, PrivateKeyRules, out int parametersOffset, out int parametersLength, out _);
                ReadOnlySpan<byte> parameters = body.Slice(parametersOffset, parametersLength);
                if (Asn1Tag.Decode(parameters, out _).HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                {
                    curveOid = AsnDecoder.ReadObjectIdentifier(parameters, PrivateKeyRules, out _);
                }
            }
            else
            {
                throw new KeyImportValidationException(
                    "The EC PRIVATE KEY does not name its curve; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem' and pass that.");
            }

            return PrivateKeyFormat.Sec1;
        }

        throw new KeyImportValidationException($"The private key {source} is not a PKCS#8, PKCS#1 or SEC1 structure. Pass a PEM or DER private key.");
    }

    /// <summary>
    /// Reads the AlgorithmIdentifier <c>{ algorithm, parameters }</c> at the start of <paramref name="encoded"/>
    /// (in PKCS#8 and SubjectPublicKeyInfo).
    /// </summary>
    /// <param name="encoded">Bytes starting with the AlgorithmIdentifier SEQUENCE.</param>
    /// <param name="rules">The encoding rules of the whole structure.</param>
    /// <param name="algorithmOid">The algorithm.</param>
    /// <param name="parametersOid">The parameters when they are an OID (an EC key's named curve); otherwise null.</param>
    /// <returns>The number of bytes the AlgorithmIdentifier takes.</returns>
    /// <exception cref="AsnContentException">The AlgorithmIdentifier is malformed.</exception>
    public static int ReadAlgorithmIdentifier(ReadOnlySpan<byte> encoded, AsnEncodingRules rules, out string algorithmOid, out string? parametersOid)
    {
        AsnDecoder.ReadSequence(encoded, rules, out int offset, out int length, out int consumed);
        ReadOnlySpan<byte> algorithm = encoded.Slice(offset, length);
        algorithmOid = AsnDecoder.ReadObjectIdentifier(algorithm, rules, out int oidLength);
        ReadOnlySpan<byte> parameters = algorithm[oidLength..];
        parametersOid = !parameters.IsEmpty && Asn1Tag.Decode(parameters, out _).HasSameClassAndValue(Asn1Tag.ObjectIdentifier)
            ? AsnDecoder.ReadObjectIdentifier(parameters, rules, out _)
            : null;
        return consumed;
    }

    /// <summary>The privateKey OCTET STRING of a PKCS#8 PrivateKeyInfo <c>{ version, AlgorithmIdentifier, privateKey, ... }</c>.</summary>
    /// <param name="pkcs8">The PrivateKeyInfo; its format was told by <see cref="InspectPrivateKey"/>.</param>
    /// <returns>The contents of privateKey, in place (an ECPrivateKey for EC keys).</returns>
    /// <exception cref="AsnContentException">The structure is malformed, or privateKey is not a primitive OCTET STRING.</exception>
    public static ReadOnlySpan<byte> ReadPkcs8PrivateKey(ReadOnlySpan<byte> pkcs8)
    {
        AsnDecoder.ReadSequence(pkcs8, PrivateKeyRules, out int offset, out int length, out _);
        ReadOnlySpan<byte> body = pkcs8.Slice(offset, length);
        AsnDecoder.ReadEncodedValue(body, PrivateKeyRules, out _, out _, out int versionLength);
        body = body[versionLength..];
        AsnDecoder.ReadEncodedValue(body, PrivateKeyRules, out _, out _, out int algorithmLength);
        body = body[algorithmLength..];
        if (!AsnDecoder.TryReadPrimitiveOctetString(body, PrivateKeyRules, out ReadOnlySpan<byte> privateKey, out _))
        {
            throw new AsnContentException();
        }

        return privateKey;
    }

    /// <summary>
    /// Reads a SEC1 ECPrivateKey <c>{ version 1, privateKey OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }</c>
    /// in place.
    /// </summary>
    /// <param name="ecPrivateKey">The ECPrivateKey.</param>
    /// <param name="scalar">The private scalar, as stored (leading zeros possible).</param>
    /// <param name="curveOid">The named curve of [0], or null when [0] is absent.</param>
    /// <param name="publicPoint">The encoded public point of [1], or empty when [1] is absent.</param>
    /// <returns>False, with nothing else read, when the version is not 1.</returns>
    /// <exception cref="AsnContentException">The structure is malformed, or [0] is not a named curve.</exception>
    public static bool TryReadEcPrivateKey(ReadOnlySpan<byte> ecPrivateKey, out ReadOnlySpan<byte> scalar, out string? curveOid, out ReadOnlySpan<byte> publicPoint)
    {
        scalar = default;
        curveOid = null;
        publicPoint = default;
        AsnDecoder.ReadSequence(ecPrivateKey, PrivateKeyRules, out int offset, out int length, out _);
        ReadOnlySpan<byte> key = ecPrivateKey.Slice(offset, length);
        if (!AsnDecoder.TryReadInt32(key, PrivateKeyRules, out int version, out int read) || version != 1)
        {
            return false;
        }

        key = key[read..];
        if (!AsnDecoder.TryReadPrimitiveOctetString(key, PrivateKeyRules, out scalar, out read))
        {
            throw new AsnContentException();
        }

        key = key[read..];
        if (!key.IsEmpty && Asn1Tag.Decode(key, out _) == s_ecParametersTag)
        {
            AsnDecoder.ReadEncodedValue(key, PrivateKeyRules, out int parametersOffset, out int parametersLength, out read);
            curveOid = AsnDecoder.ReadObjectIdentifier(key.Slice(parametersOffset, parametersLength), PrivateKeyRules, out _);
            key = key[read..];
        }

        if (!key.IsEmpty && Asn1Tag.Decode(key, out _) == s_ecPublicKeyTag)
        {
            AsnDecoder.ReadEncodedValue(key, PrivateKeyRules, out int publicOffset, out int publicLength, out _);
            if (!AsnDecoder.TryReadPrimitiveBitString(key.Slice(publicOffset, publicLength), PrivateKeyRules, out int unusedBits, out publicPoint, out _) || unusedBits != 0)
            {
                throw new AsnContentException();
            }
        }

        return true;
    }

    /// <summary>How messages name a format: <c>PKCS#8 (PRIVATE KEY)</c>.</summary>
    public static string Describe(PrivateKeyFormat format) => format switch
    {
        PrivateKeyFormat.Pkcs8 => "PKCS#8 (PRIVATE KEY)",
        PrivateKeyFormat.EncryptedPkcs8 => "encrypted PKCS#8 (ENCRYPTED PRIVATE KEY)",
        PrivateKeyFormat.Pkcs1 => "PKCS#1 (RSA PRIVATE KEY)",
        _ => "SEC1 (EC PRIVATE KEY)",
    };
}
