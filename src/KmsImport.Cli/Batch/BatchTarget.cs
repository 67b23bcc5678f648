using KmsImport.Sdk;

namespace KmsImport.Cli.Batch;

/// <summary>One place a batch sends keys to: its journal label and its client options.</summary>
internal sealed record BatchTarget(string Label, KeyImportClientOptions Options);
