using System.Formats.Asn1;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

/// <summary>
/// Every number of a DER RSA key is tied to the others: a key with any of them altered is refused before it could be
/// wrapped (on Linux by the platform's import, which OpenSSL 3 checks; elsewhere by the loader's pairwise check).
/// </summary>
[CancelAfter(60_000)]
public class KeyMaterialRsaCheckTests
{
    private static readonly string[] s_fields = ["n", "e", "d", "p", "q", "dP", "dQ", "qInv"];

    public static IEnumerable<TestCaseData> AlteredFields()
    {
        foreach (string field in s_fields)
        {
            yield return new TestCaseData(field, false).SetArgDisplayNames(field + ", PKCS#1");
            yield return new TestCaseData(field, true).SetArgDisplayNames(field + ", PKCS#8");
        }
    }

    [TestCaseSource(nameof(AlteredFields))]
    public void FromPrivateKey_Rsa_Key_With_One_Number_Altered_Is_Refused(string field, bool pkcs8)
    {
        RSAParameters parameters = TestKeys.Rsa2048.ExportParameters(true);
        byte[] value = field switch
        {
            "n" => parameters.Modulus!,
            "e" => parameters.Exponent!,
            "d" => parameters.D!,
            "p" => parameters.P!,
            "q" => parameters.Q!,
            "dP" => parameters.DP!,
            "dQ" => parameters.DQ!,
            _ => parameters.InverseQ!,
        };
        value[^1] ^= 0x02; // odd stays odd, the length stays: only the consistency check can notice
        byte[] der = pkcs8 ? WrapInPkcs8(WritePkcs1(parameters)) : WritePkcs1(parameters);

        Assert.That(
            () => KeyMaterial.FromPrivateKey(der),
            Throws.TypeOf<KeyImportValidationException>());
    }

    [Test]
    public void FromPrivateKey_Unaltered_Rsa_Key_Written_The_Same_Way_Loads_As_OpenSsl_Writes_It()
    {
        RSAParameters parameters = TestKeys.Rsa2048.ExportParameters(true);
        using KeyMaterial fromPkcs1 = KeyMaterial.FromPrivateKey(WritePkcs1(parameters));
        using KeyMaterial fromPkcs8 = KeyMaterial.FromPrivateKey(WrapInPkcs8(WritePkcs1(parameters)));
        byte[] expected = TestKeys.Rsa2048.ExportPkcs8PrivateKey();
        Assert.Multiple(() =>
        {
            Assert.That(fromPkcs1.Span.ToArray(), Is.EqualTo(expected));
            Assert.That(fromPkcs8.Span.ToArray(), Is.EqualTo(expected));
            Assert.That(fromPkcs1.KeySpec, Is.EqualTo(KeySpec.Rsa2048));
        });
    }

    [Test]
    public void FromPrivateKey_Rsa_Exponents_Not_Inverse_While_N_Equals_P_Times_Q_Is_Refused()
    {
        // d, dP and dQ consistent with each other (dP = d mod p-1, dQ = d mod q-1) but not inverses of e.
        RSAParameters parameters = TestKeys.Rsa2048.ExportParameters(true);
        var p = new System.Numerics.BigInteger(parameters.P, isUnsigned: true, isBigEndian: true);
        var q = new System.Numerics.BigInteger(parameters.Q, isUnsigned: true, isBigEndian: true);
        var d = new System.Numerics.BigInteger(parameters.D, isUnsigned: true, isBigEndian: true) + 2;
        parameters.D = d.ToByteArray(isUnsigned: true, isBigEndian: true);
        parameters.DP = (d % (p - 1)).ToByteArray(isUnsigned: true, isBigEndian: true);
        parameters.DQ = (d % (q - 1)).ToByteArray(isUnsigned: true, isBigEndian: true);

        Assert.That(
            () => KeyMaterial.FromPrivateKey(WritePkcs1(parameters)),
            Throws.TypeOf<KeyImportValidationException>());
    }

    [Test]
    public void FromPrivateKey_Multi_Prime_Version_Rsa_Key_Is_Refused_By_The_Platform_Path()
    {
        // Version 1 (multi-prime) is not read by the arithmetic path; the platform path refuses it with its own message.
        byte[] der = WritePkcs1(TestKeys.Rsa2048.ExportParameters(true));
        int version = der.AsSpan().IndexOf(new byte[] { 0x02, 0x01, 0x00 });
        der[version + 2] = 0x01;
        Assert.That(() => KeyMaterial.FromPrivateKey(der), Throws.TypeOf<KeyImportValidationException>());
    }

    private static byte[] WritePkcs1(RSAParameters parameters)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            foreach (byte[]? value in new[] { parameters.Modulus, parameters.Exponent, parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ })
            {
                // RSAParameters pads D and the CRT values with leading zeros; DER wants the minimal form.
                writer.WriteIntegerUnsigned(value.AsSpan().TrimStart((byte)0));
            }
        }

        return writer.Encode();
    }

    private static byte[] WrapInPkcs8(byte[] pkcs1)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                writer.WriteNull();
            }

            writer.WriteOctetString(pkcs1);
        }

        return writer.Encode();
    }
}
