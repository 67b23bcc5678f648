using System.Runtime.Intrinsics;
using KmsImport.Sdk.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace KmsImport.Sdk.Benchmarks;

/// <summary>
/// The floor for any RFC 5649 wrap: a dependent chain of 6n AES-256 block encryptions (each input is
/// the previous output) with a pre-expanded key held in registers, and nothing else.
/// </summary>
internal sealed class AesHardwareLimit
{
    private AesRoundKeys _keys;

    public AesHardwareLimit(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32 || !X86Aes.IsSupported)
        {
            throw new InvalidOperationException("The hardware limit row needs AES-NI and a 32-byte key.");
        }

        AesNiKeySchedule.Expand(key, ref _keys);
    }

    public Vector128<byte> EncryptChain(Vector128<byte> block, int count)
    {
        Vector128<byte> k0 = _keys[0], k1 = _keys[1], k2 = _keys[2], k3 = _keys[3], k4 = _keys[4];
        Vector128<byte> k5 = _keys[5], k6 = _keys[6], k7 = _keys[7], k8 = _keys[8], k9 = _keys[9];
        Vector128<byte> k10 = _keys[10], k11 = _keys[11], k12 = _keys[12], k13 = _keys[13], k14 = _keys[14];
        for (int i = 0; i < count; i++)
        {
            block ^= k0;
            block = X86Aes.Encrypt(block, k1);
            block = X86Aes.Encrypt(block, k2);
            block = X86Aes.Encrypt(block, k3);
            block = X86Aes.Encrypt(block, k4);
            block = X86Aes.Encrypt(block, k5);
            block = X86Aes.Encrypt(block, k6);
            block = X86Aes.Encrypt(block, k7);
            block = X86Aes.Encrypt(block, k8);
            block = X86Aes.Encrypt(block, k9);
            block = X86Aes.Encrypt(block, k10);
            block = X86Aes.Encrypt(block, k11);
            block = X86Aes.Encrypt(block, k12);
            block = X86Aes.Encrypt(block, k13);
            block = X86Aes.EncryptLast(block, k14);
        }

        return block;
    }
}
