using System.IO.Compression;
using System.Security.Cryptography;
using Pipeline.OnnxRuntime;
using Training;
using Training.Data;
using Training.Metrics;
using Training.Models;
using Training.Persistence;

namespace Pipeline.Stages;

/// <summary>
/// A compressed model as shipped: the parity-checked ONNX file and, beside it, the <c>.mlp</c> it was exported from.
/// <paramref name="OnnxGzipBytes"/> is the ONNX file's gzip size: ONNX stores pruned weights densely, so sparsity
/// shows in the compressed (download, image layer) size rather than in the file size.
/// </summary>
public sealed record CompressedModelFiles(string OnnxPath, string ModelPath, long OnnxBytes, long OnnxGzipBytes, MetricsReport Test, ParityReport Parity);

/// <summary>The request fields both compression stages share (see <see cref="PruneStageRequest"/>).</summary>
internal interface ICompressStageRequest
{
    string TrainedModelPath { get; }
    string DatasetDirectory { get; }
    string OnnxPath { get; }
    string ModelName { get; }
    string ModelVersion { get; }
    string SourceRevision { get; }
    DateTimeOffset CreatedUtc { get; }
    ExecutionOptions Execution { get; }
}

/// <summary>What both compression stages start from: the trained model (and its file's SHA-256, for lineage), the
/// data, the split the model was trained on, and the trained model's test metrics.</summary>
internal sealed record CompressionInputs(SavedModel Trained, string TrainedSha256, FashionMnistData Data, TrainValidationSplit Split, MetricsReport TrainedTest)
{
    /// <summary>Loads the model and data and re-derives the train/validation split exactly as the Train stage did
    /// (same options and seed), so no validation sample is ever trained on.</summary>
    public static async Task<CompressionInputs> LoadAsync(ICompressStageRequest request, CancellationToken cancellationToken)
    {
        var (trainedModelPath, datasetDirectory) = (request.TrainedModelPath, request.DatasetDirectory);
        var trained = await ModelFile.LoadAsync(trainedModelPath, cancellationToken);
        var trainedSha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(trainedModelPath, cancellationToken)));
        var data = await FashionMnist.LoadAsync(datasetDirectory, cancellationToken);
        var trainedOn = trained.Record.Inputs.Select(i => i.Sha256).Order(StringComparer.Ordinal);
        if (!trainedOn.SequenceEqual(data.Train.Sources.Select(s => s.Sha256).Order(StringComparer.Ordinal)))
            throw new InvalidOperationException(
                $"{trainedModelPath} was trained on other files than the training set in {datasetDirectory} (their SHA-256 differ), so its " +
                "train/validation split cannot be reproduced; retrain (./build.sh Train) or point at the data it was trained on.");
        var options = trained.Record.Options;
        var split = DataSplitter.Split(data.Train, options.ValidationFraction, options.Seed, options.StratifiedSplit);
        var (_, test) = CheckedOnnxExport.Reference(trained.Model, data.Test, request.Execution.DegreeOfParallelism);
        return new CompressionInputs(trained, trainedSha256, data, split, test);
    }

    /// <summary>Exports <paramref name="model"/> to the request's ONNX path once ONNX Runtime parity passes, then saves
    /// the model with <paramref name="record"/> beside it as <c>.mlp</c>. The metadata records the trained model's
    /// file hash besides <paramref name="parameters"/>, so the candidate traces back to the model it came from.</summary>
    public async Task<CompressedModelFiles> WriteAsync(OrtEnvironment ort, Action<string> log, MlpModel model, TrainingRecord record,
        ICompressStageRequest request, Dictionary<string, string> parameters, IReadOnlyDictionary<string, double> metrics,
        string modelRole, CancellationToken cancellationToken)
    {
        parameters["trainedModelSha256"] = TrainedSha256;
        var (reference, test) = CheckedOnnxExport.Reference(model, Data.Test, request.Execution.DegreeOfParallelism);
        var metadata = CheckedOnnxExport.Metadata(request.ModelName, request.ModelVersion, request.SourceRevision, request.CreatedUtc,
            record, Data, test, parameters, metrics);
        var (bytes, parity) = await CheckedOnnxExport.WriteAsync(ort, model, metadata, Data.Test, reference, request.OnnxPath, modelRole, log, cancellationToken);
        var modelPath = Path.ChangeExtension(request.OnnxPath, ModelFile.Extension);
        await ModelFile.SaveAsync(modelPath, model, record, cancellationToken);
        var gzipBytes = await GzipSizeAsync(request.OnnxPath, cancellationToken);
        log($"wrote {request.OnnxPath} ({bytes:N0} bytes, {gzipBytes:N0} gzipped) and {modelPath}; test accuracy {test.Accuracy:P2} (trained model {TrainedTest.Accuracy:P2})");
        return new CompressedModelFiles(request.OnnxPath, modelPath, bytes, gzipBytes, test, parity);
    }

    private static async Task<long> GzipSizeAsync(string path, CancellationToken cancellationToken)
    {
        var counter = new CountingStream();
        await using (var source = File.OpenRead(path))
        await using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
            await source.CopyToAsync(gzip, cancellationToken);
        return counter.Length;
    }

    /// <summary>A write-only sink that only counts bytes.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
