using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KmsImport.Sdk.Transport;

/// <summary>
/// Reads the JSON body of a successful response into its wire type. A body that is missing, too large,
/// JSON null or not valid JSON, and a wire body the mappers refuse, is a "malformed response" failure.
/// </summary>
internal static class KmsResponseReader
{
    /// <summary>The body as <typeparamref name="T"/>.</summary>
    /// <exception cref="KmsRequestFailedException">The body cannot be read as <typeparamref name="T"/>.</exception>
    public static T Read<T>(KmsHttpResponse response, KmsOperation operation, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (response.BodyTooLarge || response.Body.Length == 0)
        {
            throw Malformed(response, operation, response.DescribeBody(), null);
        }

        try
        {
            return JsonSerializer.Deserialize(response.Body, typeInfo)
                ?? throw Malformed(response, operation, "the body is JSON null", null);
        }
        catch (JsonException ex)
        {
            throw Malformed(response, operation, $"the body is not valid JSON ({response.DescribeBody()})", ex);
        }
    }

    /// <summary>The failure for a response the transport cannot use, with what was wrong with it.</summary>
    public static KmsRequestFailedException Malformed(KmsHttpResponse response, KmsOperation operation, string problem, Exception? cause) =>
        new(response.Status, null, $"malformed response from the service: {problem}", response.RequestId, operation.Name, cause);
}
