namespace KmsImport.Sdk.Resilience;

/// <summary>What the transport does about a documented error code.</summary>
internal enum KmsErrorDecision
{
    /// <summary>Never retried, whatever the HTTP status: the same request would fail the same way.</summary>
    Fail,

    /// <summary>Retried under the status rules (safe operations on 5xx; every operation on 429).</summary>
    Retry,
}
