using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>Where and as whom a command talks to KMS: the non-secret options and the credential.</summary>
internal sealed record KmsConnection(KeyImportClientOptions Options, KmsCredential Credential);
