using System.Text.Json;
using KmsImport.Sdk.Contract;

namespace KmsImport.Cli.Batch;

/// <summary>A manifest entry's own target: <c>endpoint</c>, or <c>region</c>/<c>cloud</c>, and <c>projectId</c>; each unset field falls back to the command's options.</summary>
internal sealed record BatchTargetFields(string? Endpoint, string? Region, string? Cloud, string? ProjectId)
{
    public static BatchTargetFields Default { get; } = new(null, null, null, null);

    public bool IsDefault => this == Default;

    public static BatchTargetFields Read(JsonElement item, string where, Func<JsonElement, string, string, string?> getString)
    {
        string? endpoint = getString(item, "endpoint", where);
        string? region = getString(item, "region", where);
        string? cloud = getString(item, "cloud", where);
        string? projectId = getString(item, "projectId", where);
        if (endpoint is not null && (region is not null || cloud is not null))
        {
            throw new CliUsageException($"{where}: give \"endpoint\" or \"region\" (with \"cloud\"), not both.");
        }

        if (cloud is not null && !CloudNames.IsKnown(cloud))
        {
            throw new CliUsageException($"{where}: \"cloud\" must be \"{CloudNames.Huawei}\" or \"{CloudNames.OpenTelekomCloud}\"; got '{cloud}'.");
        }

        return new BatchTargetFields(endpoint, region, cloud, projectId);
    }

    public static bool IsValidAlias(string alias) => KmsContract.KeyAliasPattern().IsMatch(alias);

    public override string ToString() =>
        IsDefault ? "the default target"
        : string.Join(' ', new[] { Endpoint, Region is null ? null : $"{Cloud ?? CloudNames.Huawei}:{Region}", ProjectId is null ? null : "project " + ProjectId }.Where(s => s is not null));
}
