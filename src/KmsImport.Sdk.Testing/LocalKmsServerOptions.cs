using System.Security.Cryptography;

namespace KmsImport.Sdk.Testing;

/// <summary>Settings of <see cref="LocalKmsServer"/>. Values left null are generated at random.</summary>
public sealed class LocalKmsServerOptions
{
    /// <summary>
    /// The addresses to listen on, <c>--urls</c> style (several separated by <c>;</c>); port 0 picks
    /// a free port, reported by <see cref="LocalKmsServer.BaseAddress"/>. Loopback only: plain
    /// <c>http</c> on <c>127.0.0.1</c> (any 127.x.y.z) or <c>[::1]</c>; the host names
    /// <c>localhost</c> and <c>loopback</c> become <c>127.0.0.1</c>; anything else (<c>0.0.0.0</c>,
    /// <c>[::]</c>, <c>*</c>, another address or host name, user info, a path) is refused with an
    /// <see cref="ArgumentException"/>, and the addresses actually bound are checked after start.
    /// <value>Default <c>http://127.0.0.1:0</c>.</value>
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>The project id the server accepts in paths. <value>Default: 32 random hex characters.</value></summary>
    public string? ProjectId { get; set; }

    /// <summary>The access key (AK) the server accepts. <value>Default: 20 random characters.</value></summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key (SK) signatures are verified with. <value>Default: 40 random characters.</value></summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// The security token of temporary credentials. When set, every signed request must carry it as
    /// <c>X-Security-Token</c>, named in <c>SignedHeaders</c>; a missing or different token is
    /// <c>APIG.0301</c>. <value>Default null: permanent AK/SK, the header is not checked.</value>
    /// </summary>
    public string? SecurityToken { get; set; }

    /// <summary>
    /// Consecutive failed signatures (wrong signature, signed header absent, wrong security token)
    /// after which the access key is locked for <see cref="AccessKeyLockoutDuration"/>, as the
    /// gateway does; a correct signature resets the count. 0 disables the lockout.
    /// <value>Default 5, like the gateway.</value>
    /// </summary>
    public int MaxFailedSignatures { get; set; } = 5;

    /// <summary>
    /// How long a locked access key is refused (correct signatures included) with <c>APIG.0301</c>
    /// "AK access failed to reach the limit", judged by <see cref="TimeProvider"/>.
    /// <value>Default 5 minutes, like the gateway.</value>
    /// </summary>
    public TimeSpan AccessKeyLockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// IAM tokens the server accepts as <c>X-Auth-Token</c>, with when each expires (judged by
    /// <see cref="TimeProvider"/>): unknown tokens are <c>KMS.0301</c>, expired ones <c>KMS.0303</c>.
    /// <value>Default empty.</value>
    /// </summary>
    public IDictionary<string, DateTimeOffset> AuthTokens { get; } = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

    /// <summary>The clock for <c>X-Sdk-Date</c> checks, token expiry and the emulator. <value>Default <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>The emulator's settings, used when <see cref="Emulator"/> is null.</summary>
    public LocalKmsOptions Kms { get; set; } = new();

    /// <summary>An existing emulator to serve (the server does not dispose it); a new one when null. <value>Default null.</value></summary>
    public LocalKms? Emulator { get; set; }

    /// <summary>How far <c>X-Sdk-Date</c> may be from the server's clock. <value>Default 15 minutes, like the gateway.</value></summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The largest request body accepted. <value>Default 1 MiB.</value></summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The gateway's throttle: beyond this many requests per second (a token bucket with a burst
    /// of one second, on <see cref="TimeProvider"/>) a request is refused before processing with 429,
    /// <c>APIG.0308</c> and <c>Retry-After</c>. 0 for no limit. <value>Default 0.</value>
    /// </summary>
    public double MaxRequestsPerSecond { get; set; }

    internal static string RandomString(int length, string alphabet)
    {
        return string.Create(length, alphabet, static (span, chars) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }
}
