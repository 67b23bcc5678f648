namespace KmsImport.Sdk;

/// <summary>The cloud a region name belongs to.</summary>
public enum KmsCloud
{
    /// <summary>Huawei Cloud: <c>https://kms.{region}.myhuaweicloud.com</c>.</summary>
    Huawei,

    /// <summary>Open Telekom Cloud: <c>https://kms.{region}.otc.t-systems.com</c>.</summary>
    OpenTelekomCloud,
}
