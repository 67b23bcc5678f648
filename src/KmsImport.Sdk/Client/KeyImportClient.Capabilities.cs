using KmsImport.Sdk.Cryptography;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk;

public partial class KeyImportClient
{
    // The checks of the target's capabilities and the wrapping algorithm's fit with the material, before any request.
    private void CheckCapabilities(KeyMaterial material, WrappingAlgorithm algorithm)
    {
        KeySpec spec = material.KeySpec;
        if (_capabilities.ExplainKeySpec(spec) is { } specRefusal)
        {
            throw new KeyImportValidationException(specRefusal);
        }

        if (_capabilities.ExplainAlgorithm(algorithm) is { } algorithmRefusal)
        {
            throw new KeyImportValidationException(algorithmRefusal);
        }

        if (spec.IsSm && !algorithm.IsSm2)
        {
            throw new KeyImportValidationException(
                $"{spec} material is imported with the wrapping algorithm SM2_ENCRYPT (Huawei's Chinese console guide), not {algorithm}. Set ImportKeyMaterialOptions.WrappingAlgorithm to WrappingAlgorithm.Sm2Encrypt.");
        }

        if (!spec.IsSm && algorithm.IsSm2)
        {
            throw new KeyImportValidationException(
                $"SM2_ENCRYPT wraps SM4 and SM2 material only; {spec} material is wrapped with RSAES_OAEP_SHA_256. Leave ImportKeyMaterialOptions.WrappingAlgorithm at its default.");
        }

        if (algorithm.IsLegacy)
        {
            if (!_allowLegacyWrappingAlgorithms)
            {
                throw new KeyImportValidationException(
                    $"{algorithm} is a legacy wrapping algorithm and is refused unless explicitly allowed: set KeyImportClientOptions.AllowLegacyWrappingAlgorithms (CLI: --allow-legacy), or better use RSAES_OAEP_SHA_256, which every region supports.");
            }

            if (algorithm == WrappingAlgorithm.RsaesPkcs1V15 && material.IsPrivateKey)
            {
                throw new KeyImportValidationException(
                    $"A {spec} private key is never wrapped with RSAES_PKCS1_V1_5 (its temporary key would be exposed to padding-oracle attacks), even with legacy algorithms allowed. Use RSAES_OAEP_SHA_256.");
            }

            CapabilityLog.LegacyWrappingAlgorithm(_logger, algorithm, spec);
        }
    }

    private static partial class CapabilityLog
    {
        [LoggerMessage(1100, LogLevel.Warning, "Using the legacy wrapping algorithm {WrappingAlgorithm} for {KeySpec} material because legacy algorithms are allowed; prefer RSAES_OAEP_SHA_256.")]
        public static partial void LegacyWrappingAlgorithm(ILogger logger, WrappingAlgorithm wrappingAlgorithm, KeySpec keySpec);
    }
}
