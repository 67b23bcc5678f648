using System.CommandLine;
using System.Text;
using KmsImport.Sdk;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import get-parameters</c>: the guide's PublicKey.b64, PublicKey.bin and ImportToken.b64.</summary>
internal static class GetParametersCommand
{
    public const string PublicKeyBase64File = "PublicKey.b64";
    public const string PublicKeyDerFile = "PublicKey.bin";
    public const string ImportTokenFile = "ImportToken.b64";

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        Option<string> keyId = CliOptions.KeyId();
        Option<string> algorithm = CliOptions.Algorithm("The wrapping algorithm", wrapsMaterial: false);
        var outDir = new Option<string>("--out-dir") { Description = "Where to write the files.", DefaultValueFactory = _ => ".", HelpName = "DIR" };
        var connection = new ConnectionOptions();

        var command = new Command("get-parameters", $"Download the wrapping key and import token: writes {PublicKeyBase64File}, {PublicKeyDerFile} (DER) and {ImportTokenFile}, and prints when they expire (24 hours).")
        {
            keyId, algorithm, outDir,
        };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            string directory = parseResult.GetRequiredValue(outDir);
            if (!Directory.Exists(directory))
            {
                throw new CliUsageException($"--out-dir {directory}: the directory does not exist; create it first.");
            }

            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            ImportParameters parameters = await lease.Client.GetParametersForImportAsync(
                parseResult.GetRequiredValue(keyId), new WrappingAlgorithm(parseResult.GetRequiredValue(algorithm)), cancellationToken).ConfigureAwait(false);

            using var files = new AtomicFileSet();
            files.Stage(Path.Combine(directory, PublicKeyBase64File), Encoding.ASCII.GetBytes(parameters.WrappingKey.ToBase64()));
            files.Stage(Path.Combine(directory, PublicKeyDerFile), parameters.WrappingKey.SubjectPublicKeyInfo.Span);
            byte[] token = GC.AllocateUninitializedArray<byte>(Encoding.ASCII.GetByteCount(parameters.ImportToken), pinned: true);
            try
            {
                Encoding.ASCII.GetBytes(parameters.ImportToken, token);
                files.Stage(Path.Combine(directory, ImportTokenFile), token);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(token);
            }

            files.Commit();

            foreach (string path in files.Paths)
            {
                context.Output.WriteLine($"wrote {path}");
            }

            context.Output.WriteLine($"wrapping key {(parameters.WrappingKey.IsSm2 ? "SM2" : $"RSA-{parameters.WrappingKey.KeySizeInBits}")}, {parameters.WrappingAlgorithm}; expires {OutputFormat.Time(parameters.ExpiresOn)}");
            return ExitCodes.Success;
        },
        ifCancelled: _ => "no file was written; the key is unchanged");
        return command;
    }
}
