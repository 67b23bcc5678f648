using System.Text.RegularExpressions;
using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk.Transport;

/// <summary>
/// Where and as whom the HTTPS transport talks: the options (with the <c>HUAWEICLOUD_SDK_REGION</c>
/// and <c>HUAWEICLOUD_SDK_PROJECT_ID</c> variables filling what they leave empty) and the credential.
/// Resolved once, at construction.
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
    public static KmsConnectionSettings? Resolve(KeyImportClientOptions options, KmsCredential credential, IEnvironmentVariableReader environment, List<string> failures)
    {
        int before = failures.Count;
        Uri? endpoint = ResolveEndpoint(options, environment, failures);
        string? projectId = ResolveProjectId(options, environment, failures);
        KmsCredentials? credentials = credential.Resolve(environment, failures);
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

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectIdPattern();
}
