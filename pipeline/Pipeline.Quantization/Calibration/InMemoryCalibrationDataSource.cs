namespace Pipeline.Quantization.Calibration;

/// <summary>Calibration rows held in memory (for example a slice of the training set), served in batches of [rows, features].</summary>
public sealed class InMemoryCalibrationDataSource : ICalibrationDataSource
{
    private readonly string _inputName;
    private readonly ReadOnlyMemory<float> _rows;
    private readonly int _featureCount;
    private readonly int _batchSize;

    public InMemoryCalibrationDataSource(string inputName, ReadOnlyMemory<float> rows, int featureCount, int batchSize = 64)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (rows.Length % featureCount != 0)
            throw new ArgumentException($"{rows.Length} values do not divide into rows of {featureCount} features.", nameof(rows));
        if (rows.IsEmpty) throw new ArgumentException("Calibration needs at least one row of data.", nameof(rows));
        (_inputName, _rows, _featureCount, _batchSize) = (inputName, rows, featureCount, batchSize);
    }

    public int RowCount => _rows.Length / _featureCount;

    public IAsyncEnumerable<CalibrationBatch> ReadBatchesAsync(CancellationToken cancellationToken = default) =>
        Batches(cancellationToken).ToAsyncEnumerable();

    private IEnumerable<CalibrationBatch> Batches(CancellationToken cancellationToken)
    {
        for (var start = 0; start < RowCount; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(_batchSize, RowCount - start);
            yield return new CalibrationBatch(_inputName, _rows.Slice(start * _featureCount, rows * _featureCount).ToArray(), rows, _featureCount);
        }
    }
}
