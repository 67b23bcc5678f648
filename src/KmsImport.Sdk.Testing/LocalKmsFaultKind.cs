namespace KmsImport.Sdk.Testing;

/// <summary>What an injected fault does to a request.</summary>
public enum LocalKmsFaultKind
{
    /// <summary>Waits <see cref="LocalKmsFault.Latency"/>, then answers normally.</summary>
    Latency,

    /// <summary>429 <c>APIG.0308</c> (gateway error shape) with <c>Retry-After</c>.</summary>
    Throttle,

    /// <summary>A 5xx (<see cref="LocalKmsFault.StatusCode"/>, default 500) with a KMS error body.</summary>
    ServerError,

    /// <summary>Aborts the connection without a response.</summary>
    DropConnection,

    /// <summary>200 with a body that is not valid JSON.</summary>
    MalformedJson,

    /// <summary>200 whose body stops half way through its declared <c>Content-Length</c>, then the connection is aborted.</summary>
    TruncatedBody,

    /// <summary>An HTML error page (<see cref="LocalKmsFault.StatusCode"/>, default 502), as a proxy in front of the service might send.</summary>
    HtmlErrorPage,

    /// <summary>200 with a JSON body of <see cref="LocalKmsFault.OversizedBodyLength"/> bytes.</summary>
    OversizedBody,
}
