using System.Globalization;
using KmsImport.Sdk.Authentication;
using KmsImport.Sdk.Contract;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Options;

namespace KmsImport.Sdk.DependencyInjection;

/// <summary>
/// Validates <see cref="KeyImportClientOptions"/> at start (<c>ValidateOnStart</c>) and when an
/// <see cref="HttpKmsTransport"/> is constructed. Messages name the option and print the offending
/// value, never a secret. Endpoint, project id and credentials are required only when the HTTPS
/// transport is the <see cref="IKmsTransport"/> in use (an emulator needs none of them).
/// </summary>
internal sealed class KeyImportClientOptionsValidator : IValidateOptions<KeyImportClientOptions>
{
    /// <summary>The most retries allowed; more would only hide an outage.</summary>
    public const int MaxRetryAttemptsLimit = 10;

    private static readonly TimeSpan s_minTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_maxTimeout = TimeSpan.FromDays(1);

    private readonly IEnvironmentVariableReader _environment;
    private readonly KmsTransportRegistration _registration;
    private readonly IServiceProvider _services;

    public KeyImportClientOptionsValidator(IEnvironmentVariableReader environment, KmsTransportRegistration registration, IServiceProvider services)
    {
        _environment = environment;
        _registration = registration;
        _services = services;
    }

    public ValidateOptionsResult Validate(string? name, KeyImportClientOptions options)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        KmsCredential? credential = _registration.UsesHttpTransport ? KmsCredentialResolution.FromServices(_services) : null;
        List<string> failures = Collect(options, credential, _environment);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with the options (and, when <paramref name="credential"/> is given, with the connection); empty when they are valid.</summary>
    public static List<string> Collect(KeyImportClientOptions options, KmsCredential? credential, IEnvironmentVariableReader environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!Enum.IsDefined(options.Cloud))
        {
            failures.Add($"KeyImportClientOptions.Cloud ({(int)options.Cloud}) is not a known cloud; use Huawei or OpenTelekomCloud.");
        }

        if (!KmsContract.IsValidParametersSafetyMargin(options.ImportParametersSafetyMargin))
        {
            failures.Add($"KeyImportClientOptions.ImportParametersSafetyMargin ({Format(options.ImportParametersSafetyMargin)}) must be at least 0 and shorter than the {KmsContract.ImportParametersLifetime.TotalHours:0}-hour lifetime of import parameters.");
        }

        ValidateRetry(options.Retry, failures);

        if (credential is not null)
        {
            _ = KmsConnectionSettings.Resolve(options, credential, environment, failures);
        }
        else if (options.Endpoint is not null && KmsEndpoints.CheckEndpoint(options.Endpoint) is { } problem)
        {
            failures.Add(problem);
        }

        return failures;
    }

    /// <summary>Throws when the options are invalid.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public static void ThrowIfInvalid(KeyImportClientOptions options, KmsCredential? credential, IEnvironmentVariableReader environment)
    {
        List<string> failures = Collect(options, credential, environment);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(KeyImportClientOptions), failures);
        }
    }

    private static void ValidateRetry(KmsRetryOptions? retry, List<string> failures)
    {
        if (retry is null)
        {
            failures.Add("KeyImportClientOptions.Retry is null; leave it unset for the defaults.");
            return;
        }

        if (retry.MaxRetryAttempts is < 0 or > MaxRetryAttemptsLimit)
        {
            failures.Add($"KeyImportClientOptions.Retry.MaxRetryAttempts ({retry.MaxRetryAttempts}) must be between 0 and {MaxRetryAttemptsLimit}.");
        }

        if (retry.MaxDelay <= TimeSpan.Zero || retry.MaxDelay > s_maxTimeout)
        {
            failures.Add($"KeyImportClientOptions.Retry.MaxDelay ({Format(retry.MaxDelay)}) must be more than 0 and at most 1 day.");
        }

        if (retry.BaseDelay < TimeSpan.Zero || retry.BaseDelay > retry.MaxDelay)
        {
            failures.Add($"KeyImportClientOptions.Retry.BaseDelay ({Format(retry.BaseDelay)}) must be at least 0 and at most Retry.MaxDelay ({Format(retry.MaxDelay)}).");
        }

        if (retry.AttemptTimeout < s_minTimeout || retry.AttemptTimeout > s_maxTimeout)
        {
            failures.Add($"KeyImportClientOptions.Retry.AttemptTimeout ({Format(retry.AttemptTimeout)}) must be between 10 ms and 1 day.");
        }

        if (retry.TotalTimeout < s_minTimeout || retry.TotalTimeout > s_maxTimeout)
        {
            failures.Add($"KeyImportClientOptions.Retry.TotalTimeout ({Format(retry.TotalTimeout)}) must be between 10 ms and 1 day.");
        }
        else if (retry.TotalTimeout < retry.AttemptTimeout)
        {
            failures.Add($"KeyImportClientOptions.Retry.TotalTimeout ({Format(retry.TotalTimeout)}) must be at least Retry.AttemptTimeout ({Format(retry.AttemptTimeout)}).");
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
