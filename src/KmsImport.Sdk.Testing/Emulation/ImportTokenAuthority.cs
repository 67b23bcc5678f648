using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// Issues and verifies opaque import tokens: version, token id, key id, expiry and random filler,
/// authenticated with HMAC-SHA256 under a per-emulator secret, so that a forged or altered token
/// fails verification and a token is bound to the key it was issued for.
/// </summary>
internal sealed class ImportTokenAuthority : IDisposable
{
    private const byte Version = 1;
    private const int TokenIdLength = 16;
    private const int KeyIdLength = 36;
    private const int FillerLength = 64;
    private const int MacLength = HMACSHA256.HashSizeInBytes;
    private const int PayloadLength = 1 + TokenIdLength + KeyIdLength + sizeof(long) + FillerLength;
    private const int TokenLength = PayloadLength + MacLength;

    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    /// <summary>The length of every token in Base64 characters (at least 200, as the contract requires).</summary>
    public static int Base64Length => ((TokenLength + 2) / 3) * 4;

    /// <summary>Issues a token.</summary>
    public string Issue(string tokenId, string keyId, long expiresUnixSeconds)
    {
        Span<byte> token = stackalloc byte[TokenLength];
        token[0] = Version;
        Convert.FromHexString(tokenId, token.Slice(1, TokenIdLength), out _, out _);
        Encoding.ASCII.GetBytes(keyId, token.Slice(1 + TokenIdLength, KeyIdLength));
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(1 + TokenIdLength + KeyIdLength, sizeof(long)), expiresUnixSeconds);
        RandomNumberGenerator.Fill(token.Slice(PayloadLength - FillerLength, FillerLength));
        HMACSHA256.HashData(_secret, token[..PayloadLength], token[PayloadLength..]);
        return Convert.ToBase64String(token);
    }

    /// <summary>Verifies a token's integrity; false for anything this authority did not issue.</summary>
    public bool TryVerify(string? token, out string tokenId, out string keyId, out long expiresUnixSeconds)
    {
        tokenId = keyId = string.Empty;
        expiresUnixSeconds = 0;
        if (token is null || token.Length != Base64Length)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[TokenLength + 2];
        if (!Convert.TryFromBase64String(token, bytes, out int length) || length != TokenLength || bytes[0] != Version)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(_secret, bytes[..PayloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes.Slice(PayloadLength, MacLength)))
        {
            return false;
        }

        tokenId = Convert.ToHexStringLower(bytes.Slice(1, TokenIdLength));
        keyId = Encoding.ASCII.GetString(bytes.Slice(1 + TokenIdLength, KeyIdLength));
        expiresUnixSeconds = BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(1 + TokenIdLength + KeyIdLength, sizeof(long)));
        return true;
    }

    /// <summary>A new random token id (32 hex characters).</summary>
    public static string NewTokenId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenIdLength));

    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
}
