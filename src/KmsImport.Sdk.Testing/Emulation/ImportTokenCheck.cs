namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>What <see cref="ImportParametersIssuer.Redeem"/> made of an import token.</summary>
internal enum ImportTokenCheck
{
    /// <summary>The token is valid for the key and not expired.</summary>
    Valid,

    /// <summary>The token failed verification or its parameters are gone (KMS.2605).</summary>
    Invalid,

    /// <summary>The token was issued for another key (KMS.2603).</summary>
    KeyMismatch,

    /// <summary>The token has expired (KMS.2601); its parameters are released.</summary>
    Expired,
}
