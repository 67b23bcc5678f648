using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>
/// Source-generated (reflection-free, trimming-safe) serialization of the KMS wire bodies: the internal
/// <c>*Wire*</c> types of this folder, exactly as they travel. The public surface is the typed requests
/// and results in Models/.
/// </summary>
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
[JsonSerializable(typeof(ListKeysWireRequest))]
[JsonSerializable(typeof(ListKeysWireResponse))]
[JsonSerializable(typeof(GetPublicKeyWireResponse))]
internal sealed partial class KmsJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the transport and the emulator use: as the attribute says, plus no escaping of
    /// '+' and '=' so Base64 values travel exactly as the API documents them (still valid JSON;
    /// quotes, backslashes and control characters are escaped).
    /// </summary>
    public static KmsJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
