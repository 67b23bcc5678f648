using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>Environment variables for a test, without touching the process environment.</summary>
internal sealed class DictionaryEnvironment : IEnvironmentVariableReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static DictionaryEnvironment Empty => new();

    public DictionaryEnvironment Set(string name, string value)
    {
        _values[name] = value;
        return this;
    }

    public string? Get(string name) => _values.TryGetValue(name, out string? value) ? value : null;
}
