using System.Security.Cryptography;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// Where get-parameters-for-import takes its RSA wrapping keys: a new key per request (the
/// service's behaviour, the default), or round-robin from keys generated at start, so that a large
/// run is bound by the rate limit rather than by RSA key generation. Each issue is its own
/// <see cref="RSA"/> instance, owned (and disposed) by the parameters it goes with.
/// </summary>
internal sealed class WrappingKeyPool : IDisposable
{
    private readonly int _keySizeInBits;
    private readonly byte[][] _pool;
    private int _next = -1;

    public WrappingKeyPool(int keySizeInBits, int poolSize)
    {
        _keySizeInBits = keySizeInBits;
        _pool = new byte[poolSize][];
        Parallel.For(0, poolSize, i =>
        {
            using RSA rsa = RSA.Create(keySizeInBits);
            _pool[i] = rsa.ExportPkcs8PrivateKey();
        });
    }

    public RSA Next()
    {
        if (_pool.Length == 0)
        {
            return RSA.Create(_keySizeInBits);
        }

        byte[] pkcs8 = _pool[(int)((uint)Interlocked.Increment(ref _next) % (uint)_pool.Length)];
        RSA rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return rsa;
    }

    public void Dispose()
    {
        foreach (byte[] key in _pool)
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
