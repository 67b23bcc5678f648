namespace KmsImport.Sdk.Testing;

/// <summary>PLACEHOLDER: the in-process emulator comes with the emulator issue.</summary>
public static class LocalKmsPlaceholder
{
}
