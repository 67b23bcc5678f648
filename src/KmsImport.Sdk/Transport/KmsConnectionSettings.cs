using System.Text.RegularExpressions;
using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk.Transport;

/// <summary>
/// Where and as whom the HTTPS transport talks: the options, with the <c>HUAWEICLOUD_SDK_*</c>
/// environment variables filling what the options leave empty. Resolved once, at construction.
/// </summary>
internal sealed partial class KmsConnectionSettings
{
    private KmsConnectionSettings(Uri endpoint, string projectId, KmsCredentials credentials)
    {
        Endpoint = endpoint;
        ProjectId = projectId;
        Credentials = credentials;
    }

    public Uri Endpoint { get; }

    public string ProjectId { get; }

    public KmsCredentials Credentials { get; }

    /// <summary>Resolves the settings; adds what is missing or wrong to <paramref name="failures"/> and returns null then.</summary>
    public static KmsConnectionSettings? Resolve(KeyImportClientOptions options, IEnvironmentVariableReader environment, List<string> failures)
    {
        int before = failures.Count;
        Uri? endpoint = ResolveEndpoint(options, environment, failures);
        string? projectId = ResolveProjectId(options, environment, failures);
        KmsCredentials? credentials = ResolveCredentials(options, environment, failures);
        return failures.Count == before && endpoint is not null && projectId is not null && credentials is not null
            ? new KmsConnectionSettings(endpoint, projectId, credentials)
            : null;
    }

    public override string ToString() => $"KMS {Endpoint} project {ProjectId} with {Credentials}";

    private static Uri? ResolveEndpoint(KeyImportClientOptions options, IEnvironmentVariableReader environment, List<string> failures)
    {
        if (options.Endpoint is not null)
        {
            string? problem = KmsEndpoints.CheckEndpoint(options.Endpoint);
            if (problem is not null)
            {
                failures.Add(problem);
                return null;
            }

            return options.Endpoint;
        }

        string? region = string.IsNullOrWhiteSpace(options.Region) ? environment.Read(KmsEnvironmentVariables.Region) : options.Region.Trim();
        if (region is null)
        {
            failures.Add($"No KMS endpoint: set KeyImportClientOptions.Endpoint, or KeyImportClientOptions.Region (with Cloud, now {options.Cloud}), or the {KmsEnvironmentVariables.Region} environment variable.");
            return null;
        }

        if (!KmsEndpoints.IsValidRegion(region))
        {
            string from = string.IsNullOrWhiteSpace(options.Region) ? $"The {KmsEnvironmentVariables.Region} environment variable" : "KeyImportClientOptions.Region";
            failures.Add($"{from} '{region}' is not a region name; use lower-case letters, digits and dashes, for example eu-de or cn-north-4.");
            return null;
        }

        if (!Enum.IsDefined(options.Cloud))
        {
            // Reported by the options validator.
            return null;
        }

        return KmsEndpoints.ForRegion(options.Cloud, region);
    }

    private static string? ResolveProjectId(KeyImportClientOptions options, IEnvironmentVariableReader environment, List<string> failures)
    {
        bool fromOptions = !string.IsNullOrWhiteSpace(options.ProjectId);
        string? projectId = fromOptions ? options.ProjectId!.Trim() : environment.Read(KmsEnvironmentVariables.ProjectId);
        if (projectId is null)
        {
            failures.Add($"No project id: set KeyImportClientOptions.ProjectId or the {KmsEnvironmentVariables.ProjectId} environment variable (the id of the project in the region, from 'My Credentials' in the console).");
            return null;
        }

        if (!ProjectIdPattern().IsMatch(projectId))
        {
            string from = fromOptions ? "KeyImportClientOptions.ProjectId" : $"The {KmsEnvironmentVariables.ProjectId} environment variable";
            failures.Add($"{from} '{projectId}' is not a project id; it has 1 to 64 letters, digits, dashes or underscores (usually 32 hex digits).");
            return null;
        }

        return projectId;
    }

    private static KmsCredentials? ResolveCredentials(KeyImportClientOptions options, IEnvironmentVariableReader environment, List<string> failures)
    {
        bool hasAk = !string.IsNullOrEmpty(options.AccessKey);
        bool hasSk = !string.IsNullOrEmpty(options.SecretKey);
        bool hasToken = !string.IsNullOrEmpty(options.AuthToken);
        bool hasProvider = options.AuthTokenProvider is not null;
        int kinds = (hasAk || hasSk ? 1 : 0) + (hasToken ? 1 : 0) + (hasProvider ? 1 : 0);
        if (kinds > 1)
        {
            failures.Add("Several kinds of credentials are set: use either AccessKey/SecretKey, or AuthToken, or AuthTokenProvider in KeyImportClientOptions, not more than one.");
            return null;
        }

        if (hasAk != hasSk)
        {
            failures.Add(hasAk
                ? "KeyImportClientOptions.AccessKey is set but SecretKey is not; set both (or neither, to use the HUAWEICLOUD_SDK_AK/SK environment variables)."
                : "KeyImportClientOptions.SecretKey is set but AccessKey is not; set both (or neither, to use the HUAWEICLOUD_SDK_AK/SK environment variables).");
            return null;
        }

        if (!hasAk && !string.IsNullOrEmpty(options.SecurityToken))
        {
            failures.Add("KeyImportClientOptions.SecurityToken is set without AccessKey/SecretKey; a security token belongs to temporary AK/SK, set all three.");
            return null;
        }

        if (hasAk)
        {
            return new AccessKeyCredentials(options.AccessKey!, options.SecretKey!, NullIfEmpty(options.SecurityToken)) { Source = "options" };
        }

        if (hasProvider)
        {
            return new TokenProviderCredentials(options.AuthTokenProvider!) { Source = "options" };
        }

        if (hasToken)
        {
            return new StaticTokenCredentials(options.AuthToken!) { Source = "options" };
        }

        string? ak = environment.Read(KmsEnvironmentVariables.AccessKey);
        string? sk = environment.Read(KmsEnvironmentVariables.SecretKey);
        if (ak is not null && sk is not null)
        {
            return new AccessKeyCredentials(ak, sk, environment.Read(KmsEnvironmentVariables.SecurityToken)) { Source = "environment" };
        }

        failures.Add(ak is null && sk is null
            ? $"No credentials: set KeyImportClientOptions.AccessKey and SecretKey (or AuthToken / AuthTokenProvider), or the {KmsEnvironmentVariables.AccessKey} and {KmsEnvironmentVariables.SecretKey} environment variables."
            : $"Only one of the {KmsEnvironmentVariables.AccessKey} and {KmsEnvironmentVariables.SecretKey} environment variables is set ({(ak is null ? KmsEnvironmentVariables.AccessKey : KmsEnvironmentVariables.SecretKey)} is missing); set both.");
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectIdPattern();
}
