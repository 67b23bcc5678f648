namespace KmsImport.Sdk.Testing;

/// <summary>Settings of the <see cref="LocalKms"/> emulator.</summary>
public sealed class LocalKmsOptions
{
    /// <summary>The modulus size of the RSA wrapping keys get-parameters-for-import issues: 2048, 3072 or 4096. <value>Default 2048, like the service.</value></summary>
    public int WrappingKeySizeInBits { get; set; } = 2048;

    /// <summary>How long a wrapping key and its import token stay valid. <value>Default 24 hours, like the service.</value></summary>
    public TimeSpan ImportParametersLifetime { get; set; } = Emulation.EmulatorRules.DefaultImportParametersLifetime;

    /// <summary>The account (domain) id reported for every key; a random 32-character id when null. <value>Default null.</value></summary>
    public string? DomainId { get; set; }

    /// <summary>The region reported as <c>realm</c> by describe-key. <value>Default <c>local-1</c>.</value></summary>
    public string Realm { get; set; } = "local-1";

    /// <summary>
    /// The cloud and region the emulator plays: which key specs accept imported material (create-key with origin
    /// external) and which wrapping algorithms get-parameters-for-import offers, e.g.
    /// <see cref="KmsCapabilities.HuaweiChineseRegions"/> (SM4, SM2, SM2_ENCRYPT) or <see cref="KmsCapabilities.OpenTelekomCloud"/>.
    /// <value>Default null: <see cref="KmsCapabilities.Unrestricted"/>, everything any cloud documents.</value>
    /// </summary>
    public KmsCapabilities? Capabilities { get; set; }

    /// <summary>
    /// How many RSA wrapping keys to generate at start and issue round-robin; 0 generates a new key
    /// for every get-parameters-for-import, like the service. A pool lets a large run on a small
    /// machine be bound by the rate limit rather than by RSA key generation.
    /// <value>Default 0.</value>
    /// </summary>
    public int WrappingKeyPoolSize { get; set; }

    internal void Validate()
    {
        if (WrappingKeyPoolSize is < 0 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(WrappingKeyPoolSize), WrappingKeyPoolSize, "The wrapping key pool size must be between 0 and 1024.");
        }

        if (WrappingKeySizeInBits is not (2048 or 3072 or 4096))
        {
            throw new ArgumentOutOfRangeException(nameof(WrappingKeySizeInBits), WrappingKeySizeInBits, "The wrapping key size must be 2048, 3072 or 4096 bits.");
        }

        if (ImportParametersLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ImportParametersLifetime), ImportParametersLifetime, "The import parameters lifetime must be positive.");
        }

        if (string.IsNullOrWhiteSpace(Realm))
        {
            throw new ArgumentException("The realm must not be empty.", nameof(Realm));
        }
    }
}
