using TestSupport;

namespace Pipeline.Gates.Tests.Support;

/// <summary>The synthetic task and its four model files, written once per test class.</summary>
public sealed class LinearModelFiles : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public LinearModelFiles()
    {
        Task = SyntheticLinearTask.Create(seed: 7, rows: 1000);
        var (swappedWeight, swappedBias) = Task.SwappedClasses();
        Fp32 = new ModelCandidate("fp32", LinearModels.Write(LinearModels.Dense(Task.Weight, Task.Bias), _directory.Path, "model.onnx"),
            CandidateKind.Fp32);
        Int8 = new ModelCandidate("int8-per-channel", LinearModels.Write(
            LinearModels.Int8PerChannel(Task.QuantizedWeight, Task.Scales, Task.Bias), _directory.Path, "model.int8.onnx"), CandidateKind.Quantized);
        LowRank = new ModelCandidate("low-rank", LinearModels.Write(
            LinearModels.LowRank(Task.Left, Task.Right, Task.Bias), _directory.Path, "model.low-rank.onnx"), CandidateKind.Compressed);
        Worse = new ModelCandidate("pruned", LinearModels.Write(
            LinearModels.Dense(swappedWeight, swappedBias), _directory.Path, "model.pruned.onnx"), CandidateKind.Compressed);
    }

    internal SyntheticLinearTask Task { get; }

    public ModelCandidate Fp32 { get; }

    public ModelCandidate Int8 { get; }

    public ModelCandidate LowRank { get; }

    /// <summary>fp32 with the columns of classes 0 and 1 swapped.</summary>
    public ModelCandidate Worse { get; }

    public string Directory => _directory.Path;

    public void Dispose() => _directory.Dispose();
}
