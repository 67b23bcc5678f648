namespace KmsImport.Sdk.Authentication;

/// <summary>The process environment.</summary>
internal sealed class SystemEnvironmentVariableReader : IEnvironmentVariableReader
{
    public static SystemEnvironmentVariableReader Instance { get; } = new();

    public string? Get(string name) => Environment.GetEnvironmentVariable(name);
}
