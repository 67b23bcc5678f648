using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk;

/// <summary>
/// The attempts of one import whose pre-flight has passed: parameters (cached), wrap, import. A
/// refused token is refreshed once; an unknown outcome (no response, 408, 5xx) is settled with
/// describe-key (Enabled: it happened; pending import: it did not, and is tried again after a
/// back-off from <see cref="KmsRetryOptions"/> with jitter, at most <see cref="KeyImportClient.MaxImportAttempts"/> times).
/// A key is never imported twice and a success is never reported as a failure.
/// </summary>
internal sealed class ImportAttempts(
    IKmsTransport transport,
    IKeyMaterialWrapper wrapper,
    ImportParametersCache parameters,
    ImportConfirmer confirmer,
    KmsRetryOptions retry,
    TimeProvider timeProvider,
    ILogger logger)
{
    /// <summary>
    /// The wait before trying again after the <paramref name="unknownOutcomes"/>-th unknown outcome:
    /// <see cref="KmsRetryOptions.BaseDelay"/> doubled per outcome, capped at <see cref="KmsRetryOptions.MaxDelay"/>,
    /// of which a random share of the second half (<paramref name="random"/> in [0, 1)) is waited, so that
    /// clients that failed together do not retry together.
    /// </summary>
    internal static TimeSpan BackOff(KmsRetryOptions retry, int unknownOutcomes, double random)
    {
        double exponential = retry.BaseDelay.Ticks * Math.Pow(2, Math.Max(0, unknownOutcomes - 1));
        double capped = Math.Min(exponential, retry.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)((capped / 2) + (capped / 2 * Math.Clamp(random, 0, 1))));
    }

    // Parameters (cached), wrap, import; refreshes a refused token once and resolves an unknown
    // outcome with describe-key. The pre-flight checks have passed.
    public async Task<KeyImportResult> RunAsync(ImportPlan plan, CancellationToken cancellationToken)
    {
        var importSent = new StrongBox<bool>();
        try
        {
            return await ImportAttemptsAsync(plan, importSent, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw ImportRules.Cancelled(plan.KeyId, importSent.Value, ex);
        }
    }

    private async Task<KeyImportResult> ImportAttemptsAsync(ImportPlan plan, StrongBox<bool> importSent, CancellationToken cancellationToken)
    {
        ClientLog.ImportStarting(logger, plan.KeyId, plan.Material.KeySpec, plan.Algorithm, plan.ExpiresOn?.ToString("O", CultureInfo.InvariantCulture) ?? "never");
        bool tokenRefreshed = false;
        bool earlierOutcomeUnknown = false;
        int unknownOutcomes = 0;
        for (int attempt = 1; ; attempt++)
        {
            ImportParameters? fetched = null;
            KmsRequestFailedException? failure = null;
            try
            {
                fetched = await parameters.GetAsync(plan.KeyId, plan.Algorithm, cancellationToken).ConfigureAwait(false);
                WrappedKeyMaterial wrapped = wrapper.Wrap(plan.Material, fetched.WrappingKey, plan.Algorithm);
                var request = new ImportKeyMaterialRequest(plan.KeyId, fetched.ImportToken, wrapped.EncryptedKeyMaterialBase64)
                {
                    // Only private keys carry encrypted_privatekey; never send it empty for symmetric material.
                    EncryptedPrivateKey = plan.Material.IsPrivateKey ? wrapped.EncryptedPrivateKeyBase64 : null,
                    MaterialExpiresOn = plan.ExpiresOn,
                };

                ClientLog.ImportAttempt(logger, plan.KeyId, attempt);
                importSent.Value = true;
                await transport.ImportKeyMaterialAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (KmsRequestFailedException ex)
            {
                failure = ex;
            }

            if (failure is null)
            {
                // The token is single-use: a successful import spends it.
                parameters.Evict(plan.KeyId, plan.Algorithm, fetched!);
                return await confirmer.ConfirmAsync(plan, null, attempt, cancellationToken).ConfigureAwait(false);
            }

            if (failure.IsOutcomeUnknown && fetched is not null)
            {
                unknownOutcomes++;
                ClientLog.ImportOutcomeUnknown(logger, plan.KeyId, attempt, failure.Status, failure.RequestId);
                KeyDetails? details = await TryDescribeAsync(plan.KeyId, cancellationToken).ConfigureAwait(false);
                if (details?.KeyState == KeyState.Enabled)
                {
                    // It happened: the token is spent.
                    parameters.Evict(plan.KeyId, plan.Algorithm, fetched);
                    ClientLog.ImportConfirmedByDescribe(logger, plan.KeyId, details.KeyState.DisplayName, attempt);
                    return await confirmer.ConfirmAsync(plan, details, attempt, cancellationToken).ConfigureAwait(false);
                }

                if (details?.KeyState == KeyState.PendingImport && unknownOutcomes < KeyImportClient.MaxImportAttempts)
                {
                    // It did not happen: the token is unspent and the same parameters are used again.
                    earlierOutcomeUnknown = true;
                    TimeSpan delay = BackOff(retry, unknownOutcomes, Random.Shared.NextDouble());
                    ClientLog.ImportRetryScheduled(logger, plan.KeyId, details.KeyState.DisplayName, attempt, delay);
                    await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            else if (earlierOutcomeUnknown)
            {
                // An earlier attempt whose outcome was unknown may have been processed after all (late),
                // which refuses this one: not pending import (KMS.0310), token already spent (KMS.2605),
                // or no parameters for an Enabled key. The key's state settles it.
                ClientLog.ImportRefusedAfterUnknownOutcome(logger, plan.KeyId, attempt, failure.ErrorCode);
                KeyDetails? details = await TryDescribeAsync(plan.KeyId, cancellationToken).ConfigureAwait(false);
                if (details?.KeyState == KeyState.Enabled)
                {
                    if (fetched is not null)
                    {
                        parameters.Evict(plan.KeyId, plan.Algorithm, fetched);
                    }

                    ClientLog.ImportConfirmedByDescribe(logger, plan.KeyId, details.KeyState.DisplayName, attempt);
                    return await confirmer.ConfirmAsync(plan, details, attempt, cancellationToken).ConfigureAwait(false);
                }
            }

            if (fetched is not null && ImportRules.IsTokenRefused(failure) && !tokenRefreshed)
            {
                tokenRefreshed = true;
                parameters.Evict(plan.KeyId, plan.Algorithm, fetched);
                ClientLog.ImportTokenRefused(logger, plan.KeyId, failure.ErrorCode, failure.RequestId);
                continue;
            }

            if (fetched is not null && ImportRules.IsParametersProblem(failure))
            {
                parameters.Evict(plan.KeyId, plan.Algorithm, fetched);
            }

            ClientLog.ImportFailed(logger, plan.KeyId, attempt, failure.Status, failure.ErrorCode, failure.RequestId);
            if (earlierOutcomeUnknown && !failure.IsOutcomeUnknown)
            {
                // A definite refusal now does not make the import a failure: the earlier attempt may
                // still have landed, and describe-key could not tell. Report the outcome as unknown.
                throw KmsRequestFailedException.ClientComposed(
                    0,
                    null,
                    $"an earlier attempt's outcome is unknown and describe-key could not settle it (the last attempt was refused with {failure.ErrorCode ?? $"HTTP {failure.Status}"}); describe key {plan.KeyId} before importing again",
                    failure.RequestId,
                    KmsOperation.ImportKeyMaterial.Name,
                    failure);
            }

            ExceptionDispatchInfo.Throw(failure);
        }
    }

    // describe-key to resolve an import's outcome; null when it fails too, so the caller reports
    // the import's own error.
    private async Task<KeyDetails?> TryDescribeAsync(string keyId, CancellationToken cancellationToken)
    {
        try
        {
            return await transport.DescribeKeyAsync(new DescribeKeyRequest(keyId), cancellationToken).ConfigureAwait(false);
        }
        catch (KmsRequestFailedException ex)
        {
            ClientLog.ImportResolutionFailed(logger, keyId, ex.Status, ex.ErrorCode);
            return null;
        }
    }
}
