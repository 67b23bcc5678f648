using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// An <see cref="IKmsTransport"/> decorator that counts calls per operation, registers import tokens
/// as secrets and records exceptions and results for the audit.
/// </summary>
internal sealed class CountingTransport(IKmsTransport inner) : IKmsTransport
{
    private int _create;
    private int _parameters;
    private int _import;
    private int _delete;
    private int _describe;

    public int CreateKeyCalls => Volatile.Read(ref _create);

    public int GetParametersCalls => Volatile.Read(ref _parameters);

    public int ImportCalls => Volatile.Read(ref _import);

    public int DeleteCalls => Volatile.Read(ref _delete);

    public int DescribeCalls => Volatile.Read(ref _describe);

    public int TotalCalls => CreateKeyCalls + GetParametersCalls + ImportCalls + DeleteCalls + DescribeCalls;

    public Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _create);
        return Observe(inner.CreateKeyAsync(request, cancellationToken));
    }

    public async Task<ImportParameters> GetParametersForImportAsync(GetParametersForImportRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _parameters);
        ImportParameters parameters = await Observe(inner.GetParametersForImportAsync(request, cancellationToken));
        SecretAudit.Secrets.Add(parameters.ImportToken);
        return parameters;
    }

    public Task ImportKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _import);
        SecretAudit.Texts.AddObject(request);
        return Observe(inner.ImportKeyMaterialAsync(request, cancellationToken));
    }

    public Task DeleteImportedKeyMaterialAsync(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _delete);
        return Observe(inner.DeleteImportedKeyMaterialAsync(request, cancellationToken));
    }

    public Task<KeyDetails> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _describe);
        return Observe(inner.DescribeKeyAsync(request, cancellationToken));
    }

    public Task<ListKeysPage> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default) =>
        Observe(inner.ListKeysAsync(request, cancellationToken));

    public Task<KmsPublicKey> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default) =>
        Observe(inner.GetPublicKeyAsync(request, cancellationToken));

    private static async Task Observe(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            SecretAudit.Texts.AddException(ex);
            throw;
        }
    }

    private static async Task<T> Observe<T>(Task<T> task)
    {
        try
        {
            T result = await task;
            SecretAudit.Texts.AddObject(result);
            return result;
        }
        catch (Exception ex)
        {
            SecretAudit.Texts.AddException(ex);
            throw;
        }
    }
}
