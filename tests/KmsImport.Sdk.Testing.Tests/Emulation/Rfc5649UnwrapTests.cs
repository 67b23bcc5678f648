using System.Security.Cryptography;
using KmsImport.Sdk.Testing.Emulation;

namespace KmsImport.Sdk.Testing.Tests.Emulation;

/// <summary>The emulator's RFC 5649 unwrap (the platform's Aes.DecryptKeyWrapPadded) against the RFC's own vectors.</summary>
public class Rfc5649UnwrapTests
{
    private const string Kek = "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8";

    [TestCase("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a", "c37b7e6492584340bed12207808941155068f738")]
    [TestCase("afbeb0f07dfbf5419200f2ccb50bb24f", "466f7250617369")]
    public void Rfc_5649_Section_6_Vectors_Unwrap(string wrapped, string key)
    {
        Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(Convert.FromHexString(Kek), Convert.FromHexString(wrapped), out byte[]? plaintext), Is.True);
        Assert.That(Convert.ToHexStringLower(plaintext!), Is.EqualTo(key));
    }

    [TestCase(0)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(31)]
    public void Any_Altered_Byte_Fails(int index)
    {
        byte[] wrapped = Convert.FromHexString("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a");
        wrapped[index] ^= 0x01;
        Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(Convert.FromHexString(Kek), wrapped, out byte[]? plaintext), Is.False);
        Assert.That(plaintext, Is.Null);
    }

    [Test]
    public void Another_Key_Wrong_Lengths_And_Rfc_3394_Wraps_Fail()
    {
        byte[] wrapped = Convert.FromHexString("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a");
        byte[] otherKek = Convert.FromHexString(Kek);
        otherKek[0] ^= 0x80;

        // RFC 3394 section 4.1: a wrap without padding (IV A6A6A6A6A6A6A6A6) is not an RFC 5649 wrap.
        byte[] rfc3394Kek = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
        byte[] rfc3394 = Convert.FromHexString("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");

        byte[] key = RandomNumberGenerator.GetBytes(32);
        using Aes aes = Aes.Create();
        aes.SetKey(key);
        byte[] platformWrap = aes.EncryptKeyWrapPadded(new byte[24]);
        Assert.Multiple(() =>
        {
            Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(otherKek, wrapped, out _), Is.False, "another key");
            Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(Convert.FromHexString(Kek), wrapped.AsSpan(0, 24), out _), Is.False, "truncated");
            Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(Convert.FromHexString(Kek), wrapped.AsSpan(0, 30), out _), Is.False, "not a multiple of 8");
            Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(Convert.FromHexString(Kek), new byte[8], out _), Is.False, "too short");
            Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(new byte[15], wrapped, out _), Is.False, "not an AES key length");
            Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(rfc3394Kek, rfc3394, out _), Is.False, "RFC 3394 IV");
            Assert.That(ImportedMaterialUnwrapper.TryUnwrapPrivateKey(key, platformWrap, out byte[]? roundTrip), Is.True, "a wrap of a multiple of 8 bytes");
            Assert.That(roundTrip, Is.EqualTo(new byte[24]));
        });
    }
}
