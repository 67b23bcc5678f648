using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Contract;

namespace KmsImport.Cli;

/// <summary>
/// Where and as whom a command talks to KMS: <c>--endpoint</c> or <c>--region</c>/<c>--cloud</c>,
/// <c>--project-id</c>, and credentials from the <c>HUAWEICLOUD_SDK_*</c> variables or
/// <c>--auth-token-file</c>. Secrets are never taken from arguments.
/// </summary>
internal sealed class ConnectionOptions
{
    public const string AccessKeyVariable = EnvironmentCredential.AccessKeyVariable;
    public const string SecretKeyVariable = EnvironmentCredential.SecretKeyVariable;
    public const string SecurityTokenVariable = EnvironmentCredential.SecurityTokenVariable;
    public const string ProjectIdVariable = KmsContract.ProjectIdVariable;
    public const string RegionVariable = KmsContract.RegionVariable;

    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = "The KMS endpoint URL, e.g. https://kms.eu-de.otc.t-systems.com (http only to 127.0.0.1/localhost, for the emulator).",
        HelpName = "URL",
    };

    public Option<string?> Region { get; } = CliOptions.Region($"The region, e.g. eu-de or cn-north-4, instead of --endpoint. Default: ${RegionVariable}.");

    public Option<string> Cloud { get; } = CliOptions.Cloud("The cloud the region belongs to: huawei (kms.{region}.myhuaweicloud.com) or otc (kms.{region}.otc.t-systems.com).");

    public Option<string?> ProjectId { get; } = new("--project-id")
    {
        Description = $"The project id. Default: ${ProjectIdVariable}.",
        HelpName = "ID",
    };

    public Option<string?> AuthTokenFile { get; } = new("--auth-token-file")
    {
        Description = $"A file holding an IAM token (X-Auth-Token), or - for standard input; instead of ${AccessKeyVariable}/${SecretKeyVariable} (and ${SecurityTokenVariable} for temporary credentials).",
        HelpName = "FILE",
    };

    public Option<bool> AllowLegacy { get; } = CliOptions.AllowLegacy();

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(AllowLegacy);
        command.Add(Endpoint);
        command.Add(Region);
        command.Add(Cloud);
        command.Add(ProjectId);
        command.Add(AuthTokenFile);
    }

    /// <summary>The client options and credential, validated; every problem is a <see cref="CliUsageException"/> before anything is sent.</summary>
    public KmsConnection Build(ParseResult parseResult, CliContext context) => Build(parseResult, context, requireTarget: true);

    /// <summary>
    /// The client options and credential; with <paramref name="requireTarget"/> false, the endpoint (or
    /// region) and project id may be missing, to be given per manifest entry.
    /// </summary>
    public KmsConnection Build(ParseResult parseResult, CliContext context, bool requireTarget)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(context);
        var options = new KeyImportClientOptions();

        string? endpoint = parseResult.GetValue(Endpoint);
        string? region = parseResult.GetValue(Region) ?? NonEmpty(context.GetEnvironmentVariable(RegionVariable));
        if (endpoint is not null)
        {
            options.Endpoint = ParseEndpoint(endpoint, "--endpoint");
        }
        else if (region is not null)
        {
            options.Region = region;
            options.Cloud = CloudNames.ToCloud(parseResult.GetValue(Cloud));
        }
        else if (requireTarget)
        {
            throw new CliUsageException($"no KMS endpoint: give --endpoint URL, or --region REGION [--cloud huawei|otc] (or set ${RegionVariable}).");
        }

        options.ProjectId = parseResult.GetValue(ProjectId) ?? NonEmpty(context.GetEnvironmentVariable(ProjectIdVariable));
        if (options.ProjectId is null && requireTarget)
        {
            throw new CliUsageException($"no project id: give --project-id ID or set ${ProjectIdVariable}.");
        }

        KmsCredential credential;
        string? tokenFile = parseResult.GetValue(AuthTokenFile);
        if (tokenFile is not null)
        {
            credential = new IamTokenCredential(InputFiles.ReadSingleLineText(tokenFile, "--auth-token-file", context));
        }
        else
        {
            string? accessKey = NonEmpty(context.GetEnvironmentVariable(AccessKeyVariable));
            string? secretKey = NonEmpty(context.GetEnvironmentVariable(SecretKeyVariable));
            if (accessKey is null || secretKey is null)
            {
                throw new CliUsageException($"no credentials: set ${AccessKeyVariable} and ${SecretKeyVariable} (and ${SecurityTokenVariable} for temporary credentials), or give --auth-token-file FILE. Credentials are never taken from arguments.");
            }

            credential = new AccessKeyCredential(accessKey, secretKey, NonEmpty(context.GetEnvironmentVariable(SecurityTokenVariable)));
        }

        options.AllowLegacyWrappingAlgorithms = parseResult.GetValue(AllowLegacy);
        context.ConfigureClientOptions?.Invoke(options);
        return new KmsConnection(options, credential);
    }

    /// <summary>An endpoint URL: absolute http(s), plain http only to loopback (the emulator).</summary>
    /// <param name="endpoint">The URL.</param>
    /// <param name="what">Where it came from, for the message (<c>--endpoint</c>, a manifest entry).</param>
    public static Uri ParseEndpoint(string endpoint, string what)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new CliUsageException($"{what} {endpoint} is not an absolute http(s) URL; for example https://kms.eu-de.otc.t-systems.com.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new CliUsageException($"{what} {endpoint}: plain http is allowed only to a loopback address (the emulator); use https.");
        }

        return uri;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
