using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>One place a batch sends keys to: its journal label and its client options.</summary>
internal sealed record BatchTarget(string Label, KeyImportClientOptions Options);

/// <summary>Resolves each manifest entry's target against the command's connection options, before anything is sent.</summary>
internal static class BatchTargets
{
    /// <exception cref="CliUsageException">An entry has no endpoint or region, or no project id, or a bad endpoint.</exception>
    public static Dictionary<BatchTargetFields, BatchTarget> Resolve(BatchManifest manifest, KeyImportClientOptions defaults, string defaultCloud)
    {
        var targets = new Dictionary<BatchTargetFields, BatchTarget>();
        int index = 0;
        foreach (BatchManifestEntry entry in manifest.Keys)
        {
            BatchTargetFields fields = entry.Target;
            if (!targets.ContainsKey(fields))
            {
                targets[fields] = Resolve(fields, defaults, defaultCloud, $"--manifest: keys[{index}] ({entry.Name})");
            }

            index++;
        }

        return targets;
    }

    private static BatchTarget Resolve(BatchTargetFields fields, KeyImportClientOptions defaults, string defaultCloud, string where)
    {
        var options = new KeyImportClientOptions();
        KmsClientFactory.CopyTo(defaults, options);
        string place;
        if (fields.Endpoint is not null)
        {
            options.Endpoint = ConnectionOptions.ParseEndpoint(fields.Endpoint, $"{where}: \"endpoint\"");
            options.Region = null;
        }
        else if (fields.Region is not null)
        {
            options.Endpoint = null;
            options.Region = fields.Region;
            options.Cloud = (fields.Cloud ?? defaultCloud) == "otc" ? KmsCloud.OpenTelekomCloud : KmsCloud.Huawei;
        }
        else if (fields.Cloud is not null && options.Region is not null)
        {
            options.Cloud = fields.Cloud == "otc" ? KmsCloud.OpenTelekomCloud : KmsCloud.Huawei;
        }
        else if (options.Endpoint is null && options.Region is null)
        {
            throw new CliUsageException($"{where} has no target: give --endpoint or --region for the whole batch, or \"endpoint\" or \"region\" in the entry.");
        }

        options.ProjectId = fields.ProjectId ?? options.ProjectId
            ?? throw new CliUsageException($"{where} has no project id: give --project-id (or set HUAWEICLOUD_SDK_PROJECT_ID), or \"projectId\" in the entry.");
        place = options.Endpoint is { } endpoint
            ? endpoint.ToString().TrimEnd('/')
            : $"{(options.Cloud == KmsCloud.OpenTelekomCloud ? "otc" : "huawei")}:{options.Region}";
        return new BatchTarget($"{place} project {options.ProjectId}", options);
    }
}
