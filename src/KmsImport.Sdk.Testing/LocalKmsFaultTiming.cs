namespace KmsImport.Sdk.Testing;

/// <summary>When an injected fault strikes.</summary>
public enum LocalKmsFaultTiming
{
    /// <summary>Before the request is authenticated and processed: the emulator's state does not change.</summary>
    BeforeProcessing,

    /// <summary>After the request was processed (an import happened), instead of the real response.</summary>
    AfterProcessing,
}
