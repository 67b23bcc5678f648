namespace KmsImport.Sdk;

public readonly partial struct KeyState
{
    /// <summary>A readable name for the known states ("Enabled", "PendingImport", ...), or the wire value.</summary>
    public string DisplayName => _value switch
    {
        "1" => "PendingActivation",
        "2" => "Enabled",
        "3" => "Disabled",
        "4" => "PendingDeletion",
        "5" => "PendingImport",
        "7" => "Frozen",
        _ => _value ?? string.Empty,
    };
}
