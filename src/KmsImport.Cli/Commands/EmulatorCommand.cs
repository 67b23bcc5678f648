using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import emulator</c>: serves the local KMS emulator over HTTP on loopback until Ctrl+C.</summary>
internal static class EmulatorCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen: http on 127.0.0.1 or [::1] only (localhost and loopback become 127.0.0.1; 0.0.0.0, [::] and other hosts are refused); port 0 picks a free port.",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
            HelpName = "URL",
        };
        Option<string?> region = CliOptions.Region(
            "Play this region's capabilities (which key specs import, which wrapping algorithms are offered), e.g. cn-north-4 for SM4/SM2 with SM2_ENCRYPT. Default: every capability any cloud documents.");
        Option<string> cloud = CliOptions.Cloud("The cloud of --region: huawei or otc.");
        var maxRate = new Option<double>("--max-requests-per-second")
        {
            Description = "Throttle like the API gateway: beyond N requests per second answer 429 APIG.0308 with Retry-After (0: no limit).",
            DefaultValueFactory = _ => 0,
            HelpName = "N",
        };
        var pool = new Option<int>("--wrapping-key-pool")
        {
            Description = "Generate N RSA wrapping keys at start and issue them round-robin, so large runs are not bound by key generation (0: a new key per request, like the service).",
            DefaultValueFactory = _ => 0,
            HelpName = "N",
        };
        var command = new Command(
            "emulator",
            "Serve the local KMS emulator (real cryptography, the service's rules and error codes, in memory) on 127.0.0.1 until Ctrl+C. " +
            "It accepts the AK/SK and project id from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID when they are set, " +
            "so the same shell can talk to it; otherwise it generates test values and prints them with its URL. " +
            "Printing that generated test SK is intended: it is the emulator's own throw-away credential and protects nothing.")
        {
            urls, region, cloud, maxRate, pool,
        };

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            // The loopback rule (IP literals only; localhost/loopback become 127.0.0.1) is the server's own.
            string listen = parseResult.GetRequiredValue(urls);
            double rate = parseResult.GetValue(maxRate);
            int poolSize = parseResult.GetValue(pool);
            if (rate < 0 || double.IsNaN(rate) || double.IsInfinity(rate))
            {
                throw new CliUsageException($"--max-requests-per-second {rate}: use 0 (no limit) or a positive number.");
            }

            if (poolSize is < 0 or > 1024)
            {
                throw new CliUsageException($"--wrapping-key-pool {poolSize}: use 0 to 1024.");
            }

            string? accessKey = NonEmpty(context.GetEnvironmentVariable(ConnectionOptions.AccessKeyVariable));
            string? secretKey = NonEmpty(context.GetEnvironmentVariable(ConnectionOptions.SecretKeyVariable));
            string? projectId = NonEmpty(context.GetEnvironmentVariable(ConnectionOptions.ProjectIdVariable));
            string? securityToken = NonEmpty(context.GetEnvironmentVariable(ConnectionOptions.SecurityTokenVariable));
            bool credentialsFromEnvironment = accessKey is not null && secretKey is not null;
            if (!credentialsFromEnvironment)
            {
                accessKey = null;
                secretKey = null;
                securityToken = null;
            }

            LocalKmsServer server;
            try
            {
                server = await LocalKmsServer.StartAsync(
                    new LocalKmsServerOptions
                    {
                        Urls = listen,
                        AccessKey = accessKey,
                        SecretKey = secretKey,
                        SecurityToken = securityToken,
                        ProjectId = projectId,
                        MaxRequestsPerSecond = rate,
                        Kms = Profile(parseResult.GetValue(region), parseResult.GetValue(cloud), poolSize),
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new CliUsageException($"--urls {listen}: cannot listen there ({ex.Message}); pick another port, or port 0 for a free one.", ex);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Not loopback: refused before binding (ArgumentException), or bound elsewhere and stopped.
                throw new CliUsageException($"--urls: {ex.Message}", ex);
            }

            await using (server.ConfigureAwait(false))
            {
                string endpoint = server.BaseAddress.ToString().TrimEnd('/');
                TextWriter output = context.Output;
                output.WriteLine($"KMS emulator listening on {endpoint} (in memory; everything is gone when it stops). Ctrl+C to stop.");
                output.WriteLine($"  capabilities: {server.Kms.Capabilities.Name}");
                output.WriteLine($"  project id: {server.ProjectId}{(projectId is null ? " (generated)" : " (from HUAWEICLOUD_SDK_PROJECT_ID)")}");
                if (credentialsFromEnvironment)
                {
                    output.WriteLine(securityToken is null
                        ? "  credentials: HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK from this environment (not printed)"
                        : "  credentials: HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK / HUAWEICLOUD_SDK_SECURITY_TOKEN (temporary, the token is required) from this environment (not printed)");
                }
                else
                {
                    output.WriteLine("  generated test credentials (the emulator's own, they protect nothing); in another shell:");
                    output.WriteLine($"    export {ConnectionOptions.AccessKeyVariable}={server.AccessKey}");
                    output.WriteLine($"    export {ConnectionOptions.SecretKeyVariable}={server.SecretKey}");
                    output.WriteLine($"    export {ConnectionOptions.ProjectIdVariable}={server.ProjectId}");
                }

                if (rate > 0)
                {
                    output.WriteLine($"  throttled at {rate} requests per second (429 APIG.0308 with Retry-After beyond it)");
                }

                output.WriteLine($"  try: kms-import create-key --alias my-key --endpoint {endpoint}");
                output.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: a normal stop.
                }

                output.WriteLine("KMS emulator stopped.");
            }

            return ExitCodes.Success;
        },
        ifCancelled: _ => "the emulator did not start; nothing was served");
        return command;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static LocalKmsOptions Profile(string? region, string? cloud, int wrappingKeyPoolSize)
    {
        if (string.IsNullOrWhiteSpace(region))
        {
            return new LocalKmsOptions { WrappingKeyPoolSize = wrappingKeyPoolSize };
        }

        return new LocalKmsOptions { Realm = region, Capabilities = KmsCapabilities.For(CloudNames.ToCloud(cloud), region), WrappingKeyPoolSize = wrappingKeyPoolSize };
    }
}
