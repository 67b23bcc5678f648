using KmsImport.Sdk;

namespace KmsImport.Cli.Batch;

/// <summary>Resolves each manifest entry's target against the command's connection options, before anything is sent.</summary>
internal static class BatchTargets
{
    /// <exception cref="CliUsageException">
    /// An entry has no endpoint or region, or no project id, or a bad endpoint; or, with an IAM token (<paramref name="tokenCredential"/>),
    /// an entry names another target than the command's: the token would be sent there.
    /// </exception>
    public static Dictionary<BatchTargetFields, BatchTarget> Resolve(BatchManifest manifest, KeyImportClientOptions defaults, string defaultCloud, bool tokenCredential = false)
    {
        var targets = new Dictionary<BatchTargetFields, BatchTarget>();
        int index = 0;
        foreach (BatchManifestEntry entry in manifest.Keys)
        {
            BatchTargetFields fields = entry.Target;
            if (!targets.ContainsKey(fields))
            {
                string where = $"--manifest: keys[{index}] ({entry.Name})";
                BatchTarget target = Resolve(fields, defaults, defaultCloud, where);
                if (tokenCredential && !SameTarget(target.Options, defaults))
                {
                    throw new CliUsageException(
                        $"{where} names its own target (\"endpoint\", \"region\", \"cloud\" or \"projectId\") but the batch authenticates with an IAM token (--auth-token-file): the token is project-scoped and would be sent to that target. Remove those fields from the entry, or run that target's keys in a batch of their own with its own --endpoint/--region and token, or use AK/SK. Nothing was sent.");
                }

                targets[fields] = target;
            }

            index++;
        }

        return targets;
    }

    private static bool SameTarget(KeyImportClientOptions target, KeyImportClientOptions defaults) =>
        target.Endpoint == defaults.Endpoint
        && string.Equals(target.Region, defaults.Region, StringComparison.Ordinal)
        && (target.Region is null || target.Cloud == defaults.Cloud)
        && string.Equals(target.ProjectId, defaults.ProjectId, StringComparison.Ordinal);

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
            options.Cloud = CloudNames.ToCloud(fields.Cloud ?? defaultCloud);
        }
        else if (fields.Cloud is not null && options.Region is not null)
        {
            options.Cloud = CloudNames.ToCloud(fields.Cloud);
        }
        else if (options.Endpoint is null && options.Region is null)
        {
            throw new CliUsageException($"{where} has no target: give --endpoint or --region for the whole batch, or \"endpoint\" or \"region\" in the entry.");
        }

        options.ProjectId = fields.ProjectId ?? options.ProjectId
            ?? throw new CliUsageException($"{where} has no project id: give --project-id (or set HUAWEICLOUD_SDK_PROJECT_ID), or \"projectId\" in the entry.");
        place = options.Endpoint is { } endpoint
            ? endpoint.ToString().TrimEnd('/')
            : $"{CloudNames.NameOf(options.Cloud)}:{options.Region}";
        return new BatchTarget($"{place} project {options.ProjectId}", options);
    }
}
