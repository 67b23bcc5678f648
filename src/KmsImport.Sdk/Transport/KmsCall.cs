namespace KmsImport.Sdk.Transport;

/// <summary>The state of one transport call across its attempts (attempts are sequential).</summary>
internal sealed class KmsCall
{
    public KmsCall(KmsOperation operation, string? keyId, Uri uri, byte[] body)
    {
        Operation = operation;
        KeyId = keyId;
        Uri = uri;
        Body = body;
    }

    public KmsOperation Operation { get; }

    /// <summary>The key id, for logs and traces; null for create-key.</summary>
    public string? KeyId { get; }

    public Uri Uri { get; }

    /// <summary>The JSON body, identical for every attempt (each attempt is signed afresh).</summary>
    public byte[] Body { get; }

    /// <summary>Attempts made so far, across token refreshes.</summary>
    public int Attempts { get; set; }

    /// <summary>Retries scheduled so far.</summary>
    public int Retries { get; set; }

    /// <summary>Whether the next attempt must ask the token provider for a new token.</summary>
    public bool ForceTokenRefresh { get; set; }

    /// <summary>The IAM token the last attempt sent (a secret: never logged), so that a rejection replaces exactly that token.</summary>
    public string? SentToken { get; set; }
}
