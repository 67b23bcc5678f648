using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>The names of the clouds in <c>--cloud</c> and in a manifest's <c>"cloud"</c>.</summary>
internal static class CloudNames
{
    public const string Huawei = "huawei";

    public const string OpenTelekomCloud = "otc";

    /// <summary>The cloud a name stands for; anything but <c>otc</c> is Huawei Cloud (the names are checked where they are read).</summary>
    public static KmsCloud ToCloud(string? name) => name == OpenTelekomCloud ? KmsCloud.OpenTelekomCloud : KmsCloud.Huawei;

    public static string NameOf(KmsCloud cloud) => cloud == KmsCloud.OpenTelekomCloud ? OpenTelekomCloud : Huawei;

    public static bool IsKnown(string name) => name is Huawei or OpenTelekomCloud;
}
