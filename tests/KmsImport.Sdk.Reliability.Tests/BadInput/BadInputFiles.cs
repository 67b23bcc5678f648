using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.BadInput;

/// <summary>The bad (and a few good) input files the bad-input cases feed the SDK and the CLI. Every secret is registered with the audit.</summary>
internal sealed class BadInputFiles : IDisposable
{
    public const string Password = "correct horse battery staple 7731";

    public BadInputFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kmsimport-badinput-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        SecretAudit.Secrets.Add(Password);

        Aes256 = TestKeys.NewAes256();
        Write("aes256.bin", Aes256);
        Write("aes255.bin", Aes256[..31]);
        Write("aes257.bin", [.. Aes256, 0x42]);
        Write("empty.bin", []);
        Write("oversized.bin", TestKeys.NewSecretBytes((1 << 20) + 1));

        using var rsa = RSA.Create(2048);
        RsaPkcs8 = TestKeys.Register(rsa);
        Write("rsa2048.der", RsaPkcs8);
        Write("rsa2048.pem", Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
        string pem = rsa.ExportPkcs8PrivateKeyPem();
        Write("rsa2048-truncated.pem", Encoding.ASCII.GetBytes(pem[..(pem.Length / 2)]));
        Write("rsa2048-truncated.der", RsaPkcs8[..(RsaPkcs8.Length / 2)]);
        Write("rsa2048-corrupt.pem", Encoding.ASCII.GetBytes(pem.Replace("MII", "M!I", StringComparison.Ordinal)));
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000);
        Write("rsa2048-encrypted.pem", Encoding.ASCII.GetBytes(rsa.ExportEncryptedPkcs8PrivateKeyPem(Password, pbe)));
        Write("password.txt", Encoding.UTF8.GetBytes(Password + "\n"));
        Write("wrong-password.txt", Encoding.UTF8.GetBytes("not the password\n"));

        using var rsa1024 = RSA.Create(1024);
        TestKeys.Register(rsa1024);
        Write("rsa1024.pem", Encoding.ASCII.GetBytes(rsa1024.ExportPkcs8PrivateKeyPem()));
        Write("wrapping-rsa1024.bin", rsa1024.ExportSubjectPublicKeyInfo());

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        EcPkcs8 = ec.ExportPkcs8PrivateKey();
        SecretAudit.Secrets.Add(EcPkcs8);
        SecretAudit.Secrets.Add(ec.ExportParameters(true).D);
        Write("ec-p256.pem", Encoding.ASCII.GetBytes(ec.ExportPkcs8PrivateKeyPem()));
        Write("wrapping-ec.bin", ec.ExportSubjectPublicKeyInfo());

        using var ec521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        SecretAudit.Secrets.Add(ec521.ExportPkcs8PrivateKey());
        Write("ec-p521.pem", Encoding.ASCII.GetBytes(ec521.ExportPkcs8PrivateKeyPem()));

        using var wrapping = RSA.Create(2048);
        WrappingKeySpki = wrapping.ExportSubjectPublicKeyInfo();
        Write("PublicKey.bin", WrappingKeySpki);
        Write("wrapping-garbage.b64", Encoding.ASCII.GetBytes("this is not a key at all"));

        Ed25519Pem = OpenSslGenerate("ed25519");
        if (Ed25519Pem is not null)
        {
            Write("ed25519.pem", Ed25519Pem);
        }

        Write("ImportToken.b64", Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(300))));
        Write("EncryptedKeyMaterial.bin", RandomNumberGenerator.GetBytes(256));
        Write("manifest-malformed.json", Encoding.UTF8.GetBytes("{ \"keys\": [ { \"keyId\": "));
    }

    public string Directory { get; }

    public byte[] Aes256 { get; }

    public byte[] RsaPkcs8 { get; }

    public byte[] EcPkcs8 { get; }

    public byte[] WrappingKeySpki { get; }

    public byte[]? Ed25519Pem { get; }

    public string this[string name] => Path.Combine(Directory, name);

    public byte[] Read(string name) => File.ReadAllBytes(this[name]);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the directory is in the temp folder.
        }
    }

    private void Write(string name, byte[] bytes) => File.WriteAllBytes(this[name], bytes);

    // Keys of algorithms the SDK refuses, made by openssl (null where this openssl cannot make one).
    private static byte[]? OpenSslGenerate(string algorithm)
    {
        try
        {
            string pem = OpenSsl.RunAsync(Path.GetTempPath(), "genpkey", "-algorithm", algorithm).GetAwaiter().GetResult();
            SecretAudit.Secrets.Add(PemBody(pem));
            return Encoding.ASCII.GetBytes(pem);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static byte[] PemBody(string pem) =>
        Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
}
