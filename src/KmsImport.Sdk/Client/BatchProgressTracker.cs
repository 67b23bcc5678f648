namespace KmsImport.Sdk;

/// <summary>Counts a batch's outcomes under a lock, so that each progress report is a consistent snapshot.</summary>
internal sealed class BatchProgressTracker(IProgress<BatchImportProgress>? progress, int? total)
{
    private readonly Lock _lock = new();
    private int _succeeded;
    private int _failed;

    public (int Succeeded, int Failed) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_succeeded, _failed);
            }
        }
    }

    public void Report(BatchImportResult result)
    {
        BatchImportProgress snapshot;
        lock (_lock)
        {
            if (result.Succeeded)
            {
                _succeeded++;
            }
            else
            {
                _failed++;
            }

            snapshot = KmsImportModelFactory.BatchImportProgress(_succeeded + _failed, _succeeded, _failed, total, result.KeyId);
        }

        progress?.Report(snapshot);
    }
}
