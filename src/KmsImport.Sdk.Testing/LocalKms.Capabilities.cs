namespace KmsImport.Sdk.Testing;

// The capability profile: which key specs accept imported material and which wrapping algorithms are offered.
public sealed partial class LocalKms
{
    /// <summary>The cloud and region the emulator plays (<see cref="LocalKmsOptions.Capabilities"/>; <see cref="KmsCapabilities.Unrestricted"/> when not set).</summary>
    public KmsCapabilities Capabilities => _options.Capabilities ?? KmsCapabilities.Unrestricted;

    private string? RefuseKeySpec(KeySpec spec) =>
        Capabilities.CanImport(spec) ? null : $"key_spec '{spec}' does not accept imported material in {Capabilities.Name}; importable specs are {string.Join(", ", Capabilities.ImportableKeySpecs)}";

    private string? RefuseAlgorithm(WrappingAlgorithm algorithm) =>
        Capabilities.Offers(algorithm) ? null : $"wrapping_algorithm '{algorithm}' is not offered in {Capabilities.Name}; offered: {string.Join(", ", Capabilities.WrappingAlgorithms)}";
}
