namespace KmsImport.Sdk;

/// <summary>
/// Options of <see cref="KeyImportClient"/> and its HTTPS transport: where to connect, the project
/// and resilience settings, never a secret (credentials are a <see cref="KmsCredential"/>). Bound
/// from configuration by <c>AddKeyImportClient</c>, or passed to the <see cref="KeyImportClient"/> constructors.
/// </summary>
public sealed class KeyImportClientOptions
{
    /// <summary>
    /// An explicit endpoint (HTTPS, or HTTP to a loopback address: 127.0.0.0/8, ::1, localhost).
    /// Takes precedence over <see cref="Region"/>. <value>Default null: the region's endpoint.</value>
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// The region, for example <c>eu-de</c> or <c>cn-north-4</c>; with <see cref="Cloud"/> it gives the endpoint.
    /// <value>Default null: <c>HUAWEICLOUD_SDK_REGION</c>.</value>
    /// </summary>
    public string? Region { get; set; }

    /// <summary>The cloud the region belongs to. <value>Default <see cref="KmsCloud.Huawei"/>.</value></summary>
    public KmsCloud Cloud { get; set; } = KmsCloud.Huawei;

    /// <summary>The project id, in every path and in <c>X-Project-Id</c>. <value>Default null: <c>HUAWEICLOUD_SDK_PROJECT_ID</c>.</value></summary>
    public string? ProjectId { get; set; }

    /// <summary>
    /// How long import parameters must still be valid to be used (time to wrap and send).
    /// <value>Default 5 minutes.</value>
    /// </summary>
    public TimeSpan ImportParametersSafetyMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The resilience settings of the HTTPS transport.</summary>
    public KmsRetryOptions Retry { get; set; } = new();

    /// <summary>
    /// What the target cloud and region can import (key specs, wrapping algorithms); the pre-flight refuses
    /// anything else before a request is sent. <value>Default null: <see cref="KmsCapabilities.For"/> of
    /// <see cref="Cloud"/> and <see cref="Region"/> (<see cref="KmsCapabilities.Unrestricted"/> when <see cref="Region"/> is not set;
    /// the <c>HUAWEICLOUD_SDK_REGION</c> fallback of the endpoint is not consulted).</value>
    /// Set it when a region has gained a capability this SDK does not know yet.
    /// </summary>
    public KmsCapabilities? Capabilities { get; set; }

    /// <summary>
    /// Whether the legacy wrapping algorithms RSAES_OAEP_SHA_1 and RSAES_PKCS1_V1_5 may be used; each use logs a
    /// warning, and PKCS#1 v1.5 is never used for private keys. <value>Default false: they are refused.</value>
    /// </summary>
    public bool AllowLegacyWrappingAlgorithms { get; set; }

    /// <summary>A copy, so later changes to these options do not reach a client.</summary>
    internal KeyImportClientOptions Clone() => new()
    {
        Endpoint = Endpoint,
        Region = Region,
        Cloud = Cloud,
        ProjectId = ProjectId,
        ImportParametersSafetyMargin = ImportParametersSafetyMargin,
        Retry = Retry is null ? null! : new KmsRetryOptions
        {
            MaxRetryAttempts = Retry.MaxRetryAttempts,
            BaseDelay = Retry.BaseDelay,
            MaxDelay = Retry.MaxDelay,
            AttemptTimeout = Retry.AttemptTimeout,
            TotalTimeout = Retry.TotalTimeout,
        },
        Capabilities = Capabilities,
        AllowLegacyWrappingAlgorithms = AllowLegacyWrappingAlgorithms,
    };
}
