using System.Text.RegularExpressions;

namespace KmsImport.Sdk.Transport;

/// <summary>The KMS endpoint of a region, and the HTTPS-only rule.</summary>
internal static partial class KmsEndpoints
{
    /// <summary>The endpoint of a region in a cloud.</summary>
    /// <exception cref="ArgumentException">The region is not a plain region name.</exception>
    public static Uri ForRegion(KmsCloud cloud, string region)
    {
        if (!IsValidRegion(region))
        {
            throw new ArgumentException($"'{region}' is not a region name (lower-case letters, digits and dashes, e.g. eu-de or cn-north-4).", nameof(region));
        }

        return cloud switch
        {
            // The EU region of Huawei Cloud lives under its own top-level domain.
            KmsCloud.Huawei when region == "eu-west-101" => new Uri("https://kms.eu-west-101.myhuaweicloud.eu"),
            KmsCloud.Huawei => new Uri($"https://kms.{region}.myhuaweicloud.com"),
            KmsCloud.OpenTelekomCloud => new Uri($"https://kms.{region}.otc.t-systems.com"),
            _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
        };
    }

    /// <summary>Whether a region name is safe to put into a host name.</summary>
    public static bool IsValidRegion(string? region) => region is not null && RegionPattern().IsMatch(region);

    /// <summary>
    /// Null when the endpoint may be used; otherwise what is wrong with it. HTTPS is required;
    /// plain HTTP only to a loopback address (127.0.0.0/8, ::1, localhost), for local emulators.
    /// </summary>
    public static string? CheckEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            return $"KeyImportClientOptions.Endpoint '{endpoint}' is not an absolute URI; use for example https://kms.eu-de.otc.t-systems.com.";
        }

        string shown = Display(endpoint);
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            return CheckShape(endpoint);
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp)
        {
            return endpoint.IsLoopback
                ? CheckShape(endpoint)
                : $"KeyImportClientOptions.Endpoint '{shown}' uses plain HTTP to a host that is not a loopback address; credentials and import tokens must travel over HTTPS. Use https://, or http:// only to 127.0.0.1, ::1 or localhost (a local emulator).";
        }

        return $"KeyImportClientOptions.Endpoint '{shown}' has the scheme '{endpoint.Scheme}'; use https:// (or http:// to a loopback address).";
    }

    /// <summary>The URI of an operation: <c>{endpoint}/v1.0/{project_id}/kms/{operation}</c>.</summary>
    public static Uri ForOperation(Uri endpoint, string projectId, string operation)
    {
        string basePath = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{basePath}/v1.0/{Uri.EscapeDataString(projectId)}/kms/{operation}");
    }

    private static string? CheckShape(Uri endpoint) =>
        string.IsNullOrEmpty(endpoint.Query) && string.IsNullOrEmpty(endpoint.Fragment) && string.IsNullOrEmpty(endpoint.UserInfo)
            ? null
            : $"KeyImportClientOptions.Endpoint '{Display(endpoint)}' must not carry user info, a query or a fragment; give only the scheme, host and port.";

    // The endpoint without user info (which could hold a password), query or fragment.
    private static string Display(Uri endpoint) =>
        endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
