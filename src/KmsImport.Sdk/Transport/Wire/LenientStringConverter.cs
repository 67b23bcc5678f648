using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KmsImport.Sdk.Transport.Wire;

/// <summary>
/// Reads a string, a number or a boolean as its text (the service documents strings but some
/// references type timestamps as numbers); empty strings and null become null. Writes strings.
/// </summary>
internal sealed class LenientStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                string? value = reader.GetString();
                return string.IsNullOrEmpty(value) ? null : value;
            case JsonTokenType.Number:
                return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            default:
                // Objects or arrays where a scalar belongs: skip them rather than fail the whole response.
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
