namespace KmsImport.Sdk.Authentication;

/// <summary>Reads environment variables; a seam so tests never mutate the process environment.</summary>
internal interface IEnvironmentVariableReader
{
    /// <summary>The variable's value, or null when it is not set.</summary>
    string? Get(string name);
}
