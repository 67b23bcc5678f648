using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Room for an AES key schedule (up to 15 round keys, AES-256), meant to live on the stack so that
/// it can be zeroed when the operation ends; nothing of it reaches the heap.
/// </summary>
[InlineArray(15)]
internal struct AesRoundKeys
{
    private Vector128<byte> _element0;

    /// <summary>The raw bytes, to zero them.</summary>
    /// <returns>A span over the whole schedule.</returns>
    [UnscopedRef]
    public Span<byte> AsBytes()
    {
        Span<Vector128<byte>> keys = this;
        return MemoryMarshal.AsBytes(keys);
    }
}
