using System.Reflection;
using System.Text;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Transport;

[CancelAfter(30_000)]
public class KmsRequestsTests
{
    private const string Token = "aW1wb3J0LXRva2VuLXNlY3JldA==";
    private const string Ciphertext = "Q0lQSEVSVEVYVC1NQVRFUklBTA==";
    private const string PrivateKeyCiphertext = "UFJJVkFURS1LRVktQ0lQSEVSVEVYVA==";

    [Test]
    public void ImportKeyMaterialRequest_text_never_shows_the_token_or_the_ciphertexts()
    {
        var request = new ImportKeyMaterialRequest("0d0466b0-e727-4d9c-b35d-f84bb474a37f", Token, Ciphertext)
        {
            EncryptedPrivateKey = PrivateKeyCiphertext,
            MaterialExpiresOn = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };

        // ToString, and the member printer a derived or reflecting caller could reach.
        var members = new StringBuilder();
        MethodInfo printMembers = typeof(ImportKeyMaterialRequest).GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic)!;
        printMembers.Invoke(request, [members]);

        Assert.Multiple(() =>
        {
            foreach (string text in new[] { request.ToString(), members.ToString() })
            {
                Assert.That(text, Does.Contain("0d0466b0-e727-4d9c-b35d-f84bb474a37f").And.Contain("HasPrivateKey = True").And.Contain("2030-01-02T03:04:05"));
                Assert.That(text, Does.Not.Contain(Token).And.Not.Contain(Ciphertext).And.Not.Contain(PrivateKeyCiphertext));
            }
        });
    }

    [Test]
    public void ImportParameters_text_never_shows_the_token()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var parameters = new ImportParameters(
            "0d0466b0-e727-4d9c-b35d-f84bb474a37f",
            WrappingAlgorithm.RsaesOaepSha256,
            WrappingPublicKey.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()),
            Token,
            new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.That(parameters.ToString(), Does.Contain("RSA-2048").And.Not.Contain(Token));
    }
}
