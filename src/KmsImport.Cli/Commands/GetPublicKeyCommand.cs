using System.CommandLine;
using System.Text;
using KmsImport.Sdk;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import get-public-key</c>: the PEM public key of an asymmetric key.</summary>
internal static class GetPublicKeyCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        Option<string> keyId = CliOptions.KeyId("The key id of an asymmetric key.");
        Option<string?> output = CliOptions.Out("Write the PEM (SubjectPublicKeyInfo, LF line breaks) to this file instead of stdout.");
        var connection = new ConnectionOptions();
        var command = new Command("get-public-key", "Print the public key of an asymmetric key as PEM (get-publickey), with its SHA-256 fingerprint on stderr.") { keyId, output };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            KmsPublicKey publicKey = await lease.Client.GetPublicKeyAsync(parseResult.GetRequiredValue(keyId), cancellationToken).ConfigureAwait(false);

            // Normalised to SubjectPublicKeyInfo, which every tool reads (the service may send PKCS#1 under a PUBLIC KEY label).
            string pem = System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", publicKey.SubjectPublicKeyInfo.Span) + "\n";
            if (parseResult.GetValue(output) is { } path)
            {
                using var files = new AtomicFileSet();
                files.Stage(path, Encoding.ASCII.GetBytes(pem));
                files.Commit();
                context.Error.WriteLine($"wrote {path}");
            }
            else
            {
                context.Output.Write(pem);
            }

            context.Error.WriteLine($"public key fingerprint sha256:{publicKey.Fingerprint}");
            return ExitCodes.Success;
        },
        ifCancelled: _ => "nothing was changed and no file was written");
        return command;
    }
}
