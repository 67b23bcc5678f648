namespace KmsImport.Sdk.Transport;

/// <summary>
/// Keeps signed requests, tokens and wrapped material on the endpoint they were meant for: turns off
/// automatic redirects on the primary handlers it knows, and refuses any response whose final request
/// URI is not on the scheme, host and port the request was sent to (a handler followed a redirect).
/// </summary>
internal static class RedirectGuard
{
    /// <summary>Sets <c>AllowAutoRedirect = false</c> on a handler of a known type that has not sent anything yet.</summary>
    /// <returns>True when the handler is known not to follow redirects afterwards.</returns>
    public static bool TryDisableAutoRedirect(HttpMessageHandler handler)
    {
        try
        {
            switch (handler)
            {
                case SocketsHttpHandler sockets:
                    sockets.AllowAutoRedirect = false;
                    return true;
                case HttpClientHandler client:
                    client.AllowAutoRedirect = false;
                    return true;
                default:
                    return false;
            }
        }
        catch (InvalidOperationException)
        {
            // Already used: its settings are frozen. The final-URI check still refuses redirected answers.
            return false;
        }
    }

    /// <exception cref="KmsRequestFailedException">The response does not come from the URI the request was sent to.</exception>
    public static void ThrowIfRedirected(KmsCall call, HttpResponseMessage response)
    {
        Uri? final = response.RequestMessage?.RequestUri;
        if (final is null || IsSameOrigin(final, call.Uri))
        {
            return;
        }

        throw KmsRequestFailedException.ClientComposed(
            (int)response.StatusCode,
            null,
            $"the request was redirected to {Origin(final)}, away from the endpoint {Origin(call.Uri)}; the answer was refused. Redirects are never followed, since they would carry credentials and key material elsewhere: give the HttpClient a handler with AllowAutoRedirect = false, and check the endpoint",
            response.Headers.TryGetValues("X-Request-Id", out IEnumerable<string>? ids) ? ids.FirstOrDefault() : null,
            call.Operation.Name);
    }

    public static bool IsSameOrigin(Uri left, Uri right) =>
        string.Equals(left.Scheme, right.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(left.IdnHost, right.IdnHost, StringComparison.OrdinalIgnoreCase)
        && left.Port == right.Port;

    private static string Origin(Uri uri) => $"{uri.Scheme}://{uri.Authority}";
}
