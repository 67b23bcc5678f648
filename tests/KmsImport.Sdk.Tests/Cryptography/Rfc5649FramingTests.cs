using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// The frame on its own; the checks against forged ciphertexts run through both block ciphers in
// AesKeyWrapPadTests and SmInteropTests.
public class Rfc5649FramingTests
{
    [TestCase(1, 16)]
    [TestCase(8, 16)]
    [TestCase(9, 24)]
    [TestCase(138, 152)]
    public void WrappedLength_Plaintext_Length_Is_Rounded_Up_To_Eight_Plus_Eight(int plaintextLength, int wrappedLength)
    {
        Assert.That(Rfc5649Framing.WrappedLength(plaintextLength), Is.EqualTo(wrappedLength));
    }

    [Test]
    public void WriteFrame_Nine_Bytes_Writes_The_Alternative_Initial_Value_The_Length_And_Zero_Padding()
    {
        byte[] plaintext = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        byte[] output = new byte[24];
        output.AsSpan().Fill(0xEE);

        Rfc5649Framing.WriteFrame(plaintext, output);

        Assert.That(output, Is.EqualTo(Convert.FromHexString("A65959A600000009" + "0102030405060708" + "0900000000000000")));
    }

    [Test]
    public void CheckIntegrity_Frame_Just_Written_Gives_The_Message_Length()
    {
        byte[] frame = new byte[24];
        Rfc5649Framing.WriteFrame(new byte[13], frame);

        int length = Rfc5649Framing.CheckIntegrity(MemoryMarshal.Read<ulong>(frame), MemoryMarshal.Read<ulong>(frame.AsSpan(16)), 2, "unused");

        Assert.That(length, Is.EqualTo(13));
    }

    [TestCase(0xA65959A6u, 13u, 0x01)] // non-zero padding
    [TestCase(0xA65959A6u, 8u, 0x00)] // a whole semiblock of padding
    [TestCase(0xA6A6A6A6u, 13u, 0x00)] // RFC 3394's initial value
    public void CheckIntegrity_Broken_Frame_Throws_With_The_Given_Message(uint magic, uint length, byte lastByte)
    {
        byte[] a = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(a, magic);
        BinaryPrimitives.WriteUInt32BigEndian(a.AsSpan(4), length);
        byte[] last = [9, 10, 11, 12, 13, 0, 0, lastByte];

        Assert.That(
            () => Rfc5649Framing.CheckIntegrity(MemoryMarshal.Read<ulong>(a), MemoryMarshal.Read<ulong>(last), 2, "the cipher's message"),
            Throws.TypeOf<CryptographicException>().With.Message.EqualTo("the cipher's message"));
    }
}
