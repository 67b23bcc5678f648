using System.Text.Json.Serialization;

namespace KmsImport.Cli;

/// <summary>The JSON the CLI serializes with <c>JsonSerializer</c>, generated at build time (Native AOT has no reflection-based serializer).</summary>
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
