namespace KmsImport.Sdk;

/// <summary>
/// What one cloud and region can import: the key specs it accepts imported material for and the wrapping
/// algorithms get-parameters-for-import offers. The client's pre-flight refuses anything outside it before a
/// request is sent, naming the cloud, the region and the alternative. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// The built-in profiles follow the clouds' documentation (see <c>docs/kms-api.md</c>):
/// </para>
/// <list type="table">
/// <listheader><term>profile</term><description>key specs; wrapping algorithms</description></listheader>
/// <item><term><see cref="HuaweiInternational"/></term><description>AES_256, RSA_2048/3072/4096, EC_P256, EC_P384 (Huawei's guides: no HMAC); RSAES_OAEP_SHA_256 and the legacy RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5.</description></item>
/// <item><term><see cref="HuaweiChineseRegions"/> (<c>cn-*</c>)</term><description>as international, plus SM4 and SM2; plus SM2_ENCRYPT.</description></item>
/// <item><term><see cref="HuaweiEurope"/> (<c>eu-west-101</c>)</term><description>as international.</description></item>
/// <item><term><see cref="OpenTelekomCloud"/></term><description>AES_256, HMAC_256/384/512 (OTC's FAQ), RSA_2048/3072/4096, EC_P256, EC_P384; RSAES_OAEP_SHA_256 and the legacy RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5.</description></item>
/// <item><term><see cref="Unrestricted"/></term><description>everything any cloud documents: the profile when no region is known (an explicit endpoint), leaving the decision to the service.</description></item>
/// </list>
/// <para>
/// A region can gain a capability before this table knows: pass your own profile through
/// <see cref="KeyImportClientOptions.Capabilities"/>, for example <c>KmsCapabilities.For(cloud, region).With(KeySpec.Hmac256)</c>.
/// </para>
/// </remarks>
public sealed class KmsCapabilities
{
    private static readonly KeySpec[] s_commonSpecs =
        [KeySpec.Aes256, KeySpec.Rsa2048, KeySpec.Rsa3072, KeySpec.Rsa4096, KeySpec.EcP256, KeySpec.EcP384];

    private static readonly KeySpec[] s_hmacSpecs = [KeySpec.Hmac256, KeySpec.Hmac384, KeySpec.Hmac512];

    private static readonly WrappingAlgorithm[] s_rsaAlgorithms =
        [WrappingAlgorithm.RsaesOaepSha256, WrappingAlgorithm.RsaesOaepSha1, WrappingAlgorithm.RsaesPkcs1V15];

    private readonly HashSet<KeySpec> _keySpecs;
    private readonly HashSet<WrappingAlgorithm> _wrappingAlgorithms;

    /// <summary>Creates a profile.</summary>
    /// <param name="name">What the profile describes, used in messages, e.g. <c>Huawei Cloud (cn-north-4)</c>.</param>
    /// <param name="importableKeySpecs">The key specs that accept imported material.</param>
    /// <param name="wrappingAlgorithms">The wrapping algorithms get-parameters-for-import offers.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or a list holds an empty value.</exception>
    public KmsCapabilities(string name, IEnumerable<KeySpec> importableKeySpecs, IEnumerable<WrappingAlgorithm> wrappingAlgorithms)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(importableKeySpecs);
        ArgumentNullException.ThrowIfNull(wrappingAlgorithms);
        _keySpecs = [.. importableKeySpecs];
        _wrappingAlgorithms = [.. wrappingAlgorithms];
        if (_keySpecs.Contains(default) || _wrappingAlgorithms.Contains(default))
        {
            throw new ArgumentException("A key spec or wrapping algorithm in the lists is an empty value.", nameof(importableKeySpecs));
        }

        Name = name;
    }

    /// <summary>Huawei Cloud's international regions (e.g. <c>ap-southeast-1</c>).</summary>
    public static KmsCapabilities HuaweiInternational { get; } = new("Huawei Cloud (international regions)", s_commonSpecs, s_rsaAlgorithms);

    /// <summary>Huawei Cloud's Chinese regions (<c>cn-*</c>): also SM4 and SM2, wrapped with SM2_ENCRYPT.</summary>
    public static KmsCapabilities HuaweiChineseRegions { get; } = new(
        "Huawei Cloud (Chinese regions, cn-*)",
        [.. s_commonSpecs, KeySpec.Sm4, KeySpec.Sm2],
        [.. s_rsaAlgorithms, WrappingAlgorithm.Sm2Encrypt]);

    /// <summary>Huawei Cloud Europe (<c>eu-west-101</c>).</summary>
    public static KmsCapabilities HuaweiEurope { get; } = new("Huawei Cloud Europe (eu-west-101)", s_commonSpecs, s_rsaAlgorithms);

    /// <summary>Open Telekom Cloud (e.g. <c>eu-de</c>, <c>eu-nl</c>): also HMAC, no SM algorithms.</summary>
    public static KmsCapabilities OpenTelekomCloud { get; } = new("Open Telekom Cloud", [.. s_commonSpecs, .. s_hmacSpecs], s_rsaAlgorithms);

    /// <summary>Everything any cloud documents; used when the region is unknown, so that the service decides.</summary>
    public static KmsCapabilities Unrestricted { get; } = new(
        "an unknown region (any documented capability)",
        [.. s_commonSpecs, .. s_hmacSpecs, KeySpec.Sm4, KeySpec.Sm2],
        [.. s_rsaAlgorithms, WrappingAlgorithm.Sm2Encrypt]);

    /// <summary>What the profile describes, used in messages.</summary>
    public string Name { get; }

    /// <summary>The key specs that accept imported material.</summary>
    public IReadOnlySet<KeySpec> ImportableKeySpecs => _keySpecs;

    /// <summary>The wrapping algorithms get-parameters-for-import offers.</summary>
    public IReadOnlySet<WrappingAlgorithm> WrappingAlgorithms => _wrappingAlgorithms;

    /// <summary>The built-in profile of a cloud and region.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <param name="region">The region; null or empty gives <see cref="Unrestricted"/> (nothing is known).</param>
    /// <returns>The profile, named after the cloud and region.</returns>
    public static KmsCapabilities For(KmsCloud cloud, string? region)
    {
        if (string.IsNullOrWhiteSpace(region))
        {
            return Unrestricted;
        }

        KmsCapabilities profile = cloud == KmsCloud.OpenTelekomCloud ? OpenTelekomCloud
            : region.StartsWith("cn-", StringComparison.OrdinalIgnoreCase) ? HuaweiChineseRegions
            : string.Equals(region, "eu-west-101", StringComparison.OrdinalIgnoreCase) ? HuaweiEurope
            : HuaweiInternational;
        string cloudName = cloud == KmsCloud.OpenTelekomCloud ? "Open Telekom Cloud" : "Huawei Cloud";
        return new KmsCapabilities($"{cloudName} region {region}", profile._keySpecs, profile._wrappingAlgorithms);
    }

    /// <summary>Whether material for <paramref name="keySpec"/> can be imported.</summary>
    /// <param name="keySpec">The key spec.</param>
    /// <returns>True when the profile lists it.</returns>
    public bool CanImport(KeySpec keySpec) => _keySpecs.Contains(keySpec);

    /// <summary>Whether <paramref name="algorithm"/> is offered.</summary>
    /// <param name="algorithm">The wrapping algorithm.</param>
    /// <returns>True when the profile lists it.</returns>
    public bool Offers(WrappingAlgorithm algorithm) => _wrappingAlgorithms.Contains(algorithm);

    /// <summary>A copy that also imports <paramref name="keySpecs"/> (a region gained a capability this SDK does not know yet).</summary>
    /// <param name="keySpecs">The added key specs.</param>
    /// <returns>The new profile.</returns>
    public KmsCapabilities With(params ReadOnlySpan<KeySpec> keySpecs) =>
        new(Name, [.. _keySpecs, .. keySpecs], _wrappingAlgorithms);

    /// <summary>A copy that also offers <paramref name="algorithms"/>.</summary>
    /// <param name="algorithms">The added wrapping algorithms.</param>
    /// <returns>The new profile.</returns>
    public KmsCapabilities With(params ReadOnlySpan<WrappingAlgorithm> algorithms) =>
        new(Name, _keySpecs, [.. _wrappingAlgorithms, .. algorithms]);

    /// <summary>The name and the lists.</summary>
    public override string ToString() =>
        $"KmsCapabilities {{ {Name}: key specs {string.Join(", ", _keySpecs)}; wrapping algorithms {string.Join(", ", _wrappingAlgorithms)} }}";

    /// <summary>Why <paramref name="keySpec"/> is refused here, with the alternative; null when it is importable.</summary>
    internal string? ExplainKeySpec(KeySpec keySpec)
    {
        if (CanImport(keySpec))
        {
            return null;
        }

        string where = keySpec.IsSm ? " SM4 and SM2 import only in Huawei's Chinese regions (cn-*)."
            : keySpec.IsHmac ? " Huawei's guides document no HMAC import; Open Telekom Cloud imports HMAC keys."
            : string.Empty;
        return $"{Name} does not import {keySpec} material; it imports {string.Join(", ", _keySpecs)}.{where} If this region has gained {keySpec} import, allow it with KeyImportClientOptions.Capabilities (KmsCapabilities.With).";
    }

    /// <summary>Why <paramref name="algorithm"/> is refused here, with the alternative; null when it is offered.</summary>
    internal string? ExplainAlgorithm(WrappingAlgorithm algorithm)
    {
        if (Offers(algorithm))
        {
            return null;
        }

        string where = algorithm.IsSm2 ? " SM2_ENCRYPT is offered only in Huawei's Chinese regions (cn-*)." : string.Empty;
        return $"{Name} does not offer the wrapping algorithm {algorithm}; it offers {string.Join(", ", _wrappingAlgorithms)}.{where} Use RSAES_OAEP_SHA_256, or if this region has gained {algorithm}, allow it with KeyImportClientOptions.Capabilities (KmsCapabilities.With).";
    }
}
