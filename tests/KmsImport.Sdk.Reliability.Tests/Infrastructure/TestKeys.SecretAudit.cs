using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Tests.Shared;

// This suite's part of the shared TestKeys (tests/Shared/TestKeys.cs): every secret it makes is
// registered with the audit, so a leak of it fails the test that caused it.
internal static partial class TestKeys
{
    static partial void OnSecretMade(byte[]? secret) => SecretAudit.Secrets.Add(secret);
}
