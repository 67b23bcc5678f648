using System.Globalization;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// The short form runs by default (CI); <c>KMSIMPORT_RELIABILITY_LONG=1</c> selects the long form.
/// <c>KMSIMPORT_FUZZ_ITERATIONS</c> and <c>KMSIMPORT_FUZZ_SEED</c> tune the fuzz loops.
/// </summary>
internal static class ReliabilitySettings
{
    public const string LongVariable = "KMSIMPORT_RELIABILITY_LONG";
    public const string FuzzIterationsVariable = "KMSIMPORT_FUZZ_ITERATIONS";
    public const string FuzzSeedVariable = "KMSIMPORT_FUZZ_SEED";

    public static bool IsLong { get; } =
        Environment.GetEnvironmentVariable(LongVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>Inputs per fuzz loop: the variable, else 100,000 in the long form and 2,000 in the short one.</summary>
    public static int FuzzIterations { get; } =
        int.TryParse(Environment.GetEnvironmentVariable(FuzzIterationsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : IsLong ? 100_000 : 2_000;

    /// <summary>The fuzz seed: the variable, else a fixed value so a failure reproduces.</summary>
    public static int FuzzSeed { get; } =
        int.TryParse(Environment.GetEnvironmentVariable(FuzzSeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : 20261129;

    /// <summary>Imports in the load test: 500 in the long form, 64 in CI's short form (the emulator makes an RSA wrapping key per import).</summary>
    public static int LoadImports => IsLong ? 500 : 64;

    /// <summary>How long any single test may run before it counts as a hang.</summary>
    public const int TestTimeoutMilliseconds = 120_000;

    /// <summary>The bound of the loops whose length the long form raises (fuzz, load): 30 minutes.</summary>
    public const int LongTestTimeoutMilliseconds = 1_800_000;

    public static string Machine =>
        $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
