using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Models;

public class ImportParametersTests
{
    private const string Token = "aW1wb3J0LXRva2VuLXNlY3JldA==";

    [Test]
    public void Text_Never_Shows_The_Token()
    {
        var parameters = new ImportParameters(
            "0d0466b0-e727-4d9c-b35d-f84bb474a37f",
            WrappingAlgorithm.RsaesOaepSha256,
            WrappingPublicKey.FromSubjectPublicKeyInfo(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo()),
            Token,
            new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.That(parameters.ToString(), Does.Contain("RSA-2048").And.Not.Contain(Token));
    }
}
