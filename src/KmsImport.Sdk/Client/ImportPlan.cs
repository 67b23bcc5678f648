using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>
/// An import that has passed every check that needs no request: the key, the material, the
/// wrapping algorithm, the expiry as sent (whole seconds) and what the confirmation compares.
/// </summary>
internal readonly record struct ImportPlan(string KeyId, KeyMaterial Material, WrappingAlgorithm Algorithm, DateTimeOffset? ExpiresOn, string Fingerprint, byte[]? SubjectPublicKeyInfo);
