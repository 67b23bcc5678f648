namespace KmsImport.Sdk;

/// <summary>The cloud a region name belongs to.</summary>
public enum KmsCloud
{
    /// <summary>Huawei Cloud: <c>https://kms.{region}.myhuaweicloud.com</c>.</summary>
    Huawei,

    /// <summary>Open Telekom Cloud: <c>https://kms.{region}.otc.t-systems.com</c>.</summary>
    OpenTelekomCloud,
}

/// <summary>
/// Options of <see cref="KeyImportClient"/> and its HTTPS transport. Bound from configuration by
/// <c>AddKeyImportClient</c>; credentials fall back to the <c>HUAWEICLOUD_SDK_*</c> environment variables.
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

    /// <summary>The access key (AK). Falls back to <c>HUAWEICLOUD_SDK_AK</c>.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key (SK). A secret. Falls back to <c>HUAWEICLOUD_SDK_SK</c>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// The security token of temporary AK/SK, sent (and signed) as <c>X-Security-Token</c>. When the
    /// AK/SK come from the environment, so does the token (<c>HUAWEICLOUD_SDK_SECURITY_TOKEN</c>).
    /// </summary>
    public string? SecurityToken { get; set; }

    /// <summary>A static IAM token, sent as <c>X-Auth-Token</c>, instead of AK/SK.</summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// Provides IAM tokens, instead of AK/SK. Called for every attempt with <c>forceRefresh</c> false
    /// (cache the token in the provider), and once with <c>forceRefresh</c> true when the service
    /// rejects the token (HTTP 401, or 403 with KMS.0301-0303), before the request is sent once more.
    /// </summary>
    public Func<bool, CancellationToken, ValueTask<string>>? AuthTokenProvider { get; set; }

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
}

/// <summary>
/// Resilience of the HTTPS transport (Polly v8). Pipeline, outermost first: total timeout, retry,
/// attempt timeout. Retried: 408, 429, 5xx and transport failures, honouring <c>Retry-After</c>;
/// never other 4xx, above all <c>APIG.0301</c>.
/// </summary>
public sealed class KmsRetryOptions
{
    /// <summary>Retries after the first attempt, 0 to 10. <value>Default 3.</value></summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first back-off delay, doubled per attempt with jitter. <value>Default 1 second.</value></summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off delay, also the cap on <c>Retry-After</c>. <value>Default 30 seconds.</value></summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of one attempt, 10 ms to 1 day. <value>Default 30 seconds.</value></summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of a call across all attempts, at least <see cref="AttemptTimeout"/>. <value>Default 2 minutes.</value></summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
