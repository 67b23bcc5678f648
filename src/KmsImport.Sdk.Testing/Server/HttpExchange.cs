using Microsoft.AspNetCore.Http;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>Reading request bodies within a limit and writing JSON answers.</summary>
internal static class HttpExchange
{
    /// <summary>The request body, or null when it is larger than <paramref name="maxBodyBytes"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long maxBodyBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's own body size limit.
            return null;
        }

        return buffer.ToArray();
    }

    /// <summary>Writes a JSON answer (none when <paramref name="body"/> is empty).</summary>
    public static async Task WriteAsync(HttpContext context, int status, byte[] body, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            response.ContentType = "application/json;charset=UTF-8";
            await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }
}
