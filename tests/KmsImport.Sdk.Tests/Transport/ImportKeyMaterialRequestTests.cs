namespace KmsImport.Sdk.Tests.Transport;

public class ImportKeyMaterialRequestTests
{
    private const string Token = "aW1wb3J0LXRva2VuLXNlY3JldA==";
    private const string Ciphertext = "Q0lQSEVSVEVYVC1NQVRFUklBTA==";
    private const string PrivateKeyCiphertext = "UFJJVkFURS1LRVktQ0lQSEVSVEVYVA==";

    // A record that holds the request prints it through the request's own ToString.
    private sealed record Holder(ImportKeyMaterialRequest Request);

    [Test]
    public void Text_Never_Shows_The_Token_Or_The_Ciphertexts()
    {
        var request = new ImportKeyMaterialRequest("0d0466b0-e727-4d9c-b35d-f84bb474a37f", Token, Ciphertext)
        {
            EncryptedPrivateKey = PrivateKeyCiphertext,
            MaterialExpiresOn = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };

        // Every public way the record becomes text: ToString, interpolation, and printing as a member of another record.
        string[] texts = [request.ToString(), $"{request}", new Holder(request).ToString(), (request with { Sequence = "s" }).ToString()];

        Assert.Multiple(() =>
        {
            foreach (string text in texts)
            {
                Assert.That(text, Does.Contain("0d0466b0-e727-4d9c-b35d-f84bb474a37f").And.Contain("HasPrivateKey = True").And.Contain("2030-01-02T03:04:05"));
                Assert.That(text, Does.Not.Contain(Token).And.Not.Contain(Ciphertext).And.Not.Contain(PrivateKeyCiphertext));
            }
        });
    }
}
