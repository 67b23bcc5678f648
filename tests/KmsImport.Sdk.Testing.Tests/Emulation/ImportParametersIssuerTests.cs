using KmsImport.Sdk.Testing.Emulation;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Testing.Tests.Emulation;

public class ImportParametersIssuerTests
{
    private const string KeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";
    private const string OtherKeyId = "1d0466b0-e727-4d9c-b35d-f84bb474a37f";

    private FakeTimeProvider _clock = null!;
    private ImportParametersIssuer _issuer = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        _issuer = new ImportParametersIssuer(2048, wrappingKeyPoolSize: 1, TimeSpan.FromHours(24), _clock);
    }

    [TearDown]
    public void TearDown() => _issuer.Dispose();

    [Test]
    public void Redeem_A_Fresh_Token_For_Its_Key_Is_Valid_And_Names_The_Issued_Algorithm()
    {
        ImportParameters parameters = _issuer.Issue(KeyId, WrappingAlgorithm.RsaesOaepSha256);

        ImportTokenCheck check = _issuer.Redeem(parameters.ImportToken, KeyId, out string? tokenId, out IssuedImportParameters? issued);

        Assert.Multiple(() =>
        {
            Assert.That(check, Is.EqualTo(ImportTokenCheck.Valid));
            Assert.That(tokenId, Is.Not.Null.And.Not.Empty);
            Assert.That(issued!.Algorithm, Is.EqualTo(WrappingAlgorithm.RsaesOaepSha256));
            Assert.That(issued.KeyId, Is.EqualTo(KeyId));
            Assert.That(parameters.ExpiresOn, Is.EqualTo(_clock.GetUtcNow() + TimeSpan.FromHours(24)));
        });
    }

    [Test]
    public void Redeem_For_Another_Key_Is_A_Key_Mismatch()
    {
        ImportParameters parameters = _issuer.Issue(KeyId, WrappingAlgorithm.RsaesOaepSha256);

        Assert.That(_issuer.Redeem(parameters.ImportToken, OtherKeyId, out _, out _), Is.EqualTo(ImportTokenCheck.KeyMismatch));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("bm90IGEgdG9rZW4=")]
    public void Redeem_A_Token_That_Fails_Verification_Is_Invalid(string? token)
    {
        _issuer.Issue(KeyId, WrappingAlgorithm.RsaesOaepSha256);

        Assert.That(_issuer.Redeem(token, KeyId, out _, out _), Is.EqualTo(ImportTokenCheck.Invalid));
    }

    [Test]
    public void Redeem_At_The_Expiry_Is_Expired_And_Releases_The_Parameters()
    {
        ImportParameters parameters = _issuer.Issue(KeyId, WrappingAlgorithm.RsaesOaepSha256);
        _clock.Advance(TimeSpan.FromHours(24));

        Assert.Multiple(() =>
        {
            Assert.That(_issuer.Redeem(parameters.ImportToken, KeyId, out _, out _), Is.EqualTo(ImportTokenCheck.Expired));
            Assert.That(_issuer.Redeem(parameters.ImportToken, KeyId, out _, out _), Is.EqualTo(ImportTokenCheck.Invalid), "released: the token now refers to nothing");
        });
    }

    [Test]
    public void Release_Consumes_The_Token()
    {
        ImportParameters parameters = _issuer.Issue(KeyId, WrappingAlgorithm.RsaesOaepSha256);
        Assert.That(_issuer.Redeem(parameters.ImportToken, KeyId, out string? tokenId, out _), Is.EqualTo(ImportTokenCheck.Valid));

        _issuer.Release(tokenId!);

        Assert.That(_issuer.Redeem(parameters.ImportToken, KeyId, out _, out _), Is.EqualTo(ImportTokenCheck.Invalid));
    }

    [Test]
    public void Issue_Sm2_Encrypt_Gives_An_Sm2_Wrapping_Key()
    {
        ImportParameters parameters = _issuer.Issue(KeyId, WrappingAlgorithm.Sm2Encrypt);
        _issuer.Redeem(parameters.ImportToken, KeyId, out _, out IssuedImportParameters? issued);

        Assert.Multiple(() =>
        {
            Assert.That(issued!.Sm2PrivateKey, Is.Not.Null);
            Assert.That(issued.PrivateKey, Is.Null);
            Assert.That(parameters.WrappingAlgorithm, Is.EqualTo(WrappingAlgorithm.Sm2Encrypt));
        });
    }
}
