using System.Text;
using KmsImport.Sdk.Testing.Emulation;
using Microsoft.AspNetCore.Http;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>Answers a request with an injected <see cref="LocalKmsFault"/>.</summary>
internal static class FaultResponder
{
    private static readonly byte[] s_htmlPage = Encoding.UTF8.GetBytes(
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><p>proxy</p></body></html>");

    // True when the fault answered the request; false (latency) to carry on normally.
    public static async Task<bool> ApplyAsync(HttpContext context, LocalKmsFault fault, string requestId, byte[]? processedResponse, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        switch (fault.Kind)
        {
            case LocalKmsFaultKind.Latency:
                await Task.Delay(fault.Latency, cancellationToken).ConfigureAwait(false);
                return false;

            case LocalKmsFaultKind.Throttle:
                await RequestThrottle.WriteThrottledAsync(context, (int)Math.Ceiling(fault.RetryAfter.TotalSeconds), requestId, cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.ServerError:
                int status = fault.StatusCode ?? 500;
                string code = status == 503 ? EmulatorErrorCodes.ServiceUnavailable : EmulatorErrorCodes.InternalError;
                await HttpExchange.WriteAsync(context, status, KmsWireFormat.WriteKmsError(code, "Internal service error (injected fault)"), cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.DropConnection:
                context.Abort();
                return true;

            case LocalKmsFaultKind.MalformedJson:
                await HttpExchange.WriteAsync(context, 200, "{\"key_info\":{\"key_id\":\"0f6d5a33-"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.TruncatedBody:
                byte[] full = processedResponse is { Length: > 1 } ? processedResponse : KmsWireFormat.WriteGatewayError(EmulatorErrorCodes.Filler, new string('x', 200), requestId);
                response.StatusCode = 200;
                response.ContentType = "application/json;charset=UTF-8";
                response.ContentLength = full.Length;
                await response.Body.WriteAsync(full.AsMemory(0, full.Length / 2), cancellationToken).ConfigureAwait(false);
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                context.Abort();
                return true;

            case LocalKmsFaultKind.HtmlErrorPage:
                response.StatusCode = fault.StatusCode ?? 502;
                response.ContentType = "text/html";
                response.ContentLength = s_htmlPage.Length;
                await response.Body.WriteAsync(s_htmlPage, cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.OversizedBody:
                await WriteOversizedAsync(response, fault.OversizedBodyLength, cancellationToken).ConfigureAwait(false);
                return true;

            default:
                return false;
        }
    }

    private static async Task WriteOversizedAsync(HttpResponse response, int length, CancellationToken cancellationToken)
    {
        byte[] head = "{\"padding\":\""u8.ToArray();
        byte[] tail = "\"}"u8.ToArray();
        int padding = Math.Max(0, length - head.Length - tail.Length);
        response.StatusCode = 200;
        response.ContentType = "application/json;charset=UTF-8";
        response.ContentLength = head.Length + padding + tail.Length;
        await response.Body.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        while (padding > 0)
        {
            int size = Math.Min(padding, chunk.Length);
            await response.Body.WriteAsync(chunk.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            padding -= size;
        }

        await response.Body.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
    }
}
