namespace KmsImport.Sdk.Transport;

/// <summary>A KMS operation: its path segment and whether sending it twice is harmless.</summary>
/// <param name="Name">The path segment, e.g. <c>import-key-material</c>.</param>
/// <param name="IsIdempotent">
/// True for reads. Non-idempotent operations are retried by the transport only when the service
/// certainly did not process them (429, or a failure to connect before anything was sent).
/// </param>
/// <param name="RetriesServiceUnavailable">
/// True for create-key: a 503 is retried, since the client settles a duplicate create by its alias.
/// </param>
internal sealed record KmsOperation(string Name, bool IsIdempotent, bool RetriesServiceUnavailable = false)
{
    public static KmsOperation CreateKey { get; } = new("create-key", IsIdempotent: false, RetriesServiceUnavailable: true);

    public static KmsOperation ListKeys { get; } = new("list-keys", IsIdempotent: true);

    public static KmsOperation GetPublicKey { get; } = new("get-publickey", IsIdempotent: true);

    public static KmsOperation GetParametersForImport { get; } = new("get-parameters-for-import", IsIdempotent: true);

    public static KmsOperation ImportKeyMaterial { get; } = new("import-key-material", IsIdempotent: false);

    public static KmsOperation DeleteImportedKeyMaterial { get; } = new("delete-imported-key-material", IsIdempotent: false);

    public static KmsOperation DescribeKey { get; } = new("describe-key", IsIdempotent: true);

    public override string ToString() => Name;
}
