using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>Source-generated (reflection-free, trimming-safe) serialization of the KMS wire bodies.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CreateKeyWireRequest))]
[JsonSerializable(typeof(GetParametersForImportWireRequest))]
[JsonSerializable(typeof(ImportKeyMaterialWireRequest))]
[JsonSerializable(typeof(KeyIdWireRequest))]
[JsonSerializable(typeof(CreateKeyWireResponse))]
[JsonSerializable(typeof(GetParametersForImportWireResponse))]
[JsonSerializable(typeof(DescribeKeyWireResponse))]
[JsonSerializable(typeof(ErrorWireResponse))]
internal sealed partial class KmsJsonContext : JsonSerializerContext
{
}
