using System.Diagnostics;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// One checked request ready to run: input buffers in the model's input order, a buffer for each requested output,
/// and the timestamps the metrics need. Owns every buffer; the request handler disposes it on every path, and only
/// after any executor holding it has finished.
/// </summary>
internal sealed class InferenceCall : IDisposable
{
    public InferenceCall(ServedModel model)
    {
        Model = model;
        Inputs = new TensorBuffer[model.Inputs.Count];
    }

    public ServedModel Model { get; }

    public int Rows { get; set; }

    /// <summary>Indexed like <see cref="ServedModel.Inputs"/>; every slot is filled once binding succeeds.</summary>
    public TensorBuffer?[] Inputs { get; }

    public List<OutputBinding> Outputs { get; } = new(2);

    /// <summary>Parallel to <see cref="Outputs"/>: whether each goes back as binary data.</summary>
    public List<bool> BinaryOutputs { get; } = new(2);

    public string? Id { get; set; }

    /// <summary><see cref="Stopwatch"/> timestamps: ready to run, model run started, model run finished.</summary>
    public long QueuedAt { get; set; }

    public long ComputeStartedAt { get; set; }

    public long ComputeFinishedAt { get; set; }

    public bool AnyBinaryOutput => BinaryOutputs.Contains(true);

    public void AddOutput(int outputIndex, bool binary)
    {
        var spec = Model.Outputs[outputIndex];
        Outputs.Add(new OutputBinding(outputIndex, TensorBuffer.Rent(spec.ElementType, Rows * spec.RowElementCount)));
        BinaryOutputs.Add(binary);
    }

    /// <summary>Whether a model run for this call has begun (the call is no longer pending).</summary>
    public bool HasStarted => ComputeStartedAt != 0;

    /// <summary>Runs the model on this call alone, writing straight into its output buffers.</summary>
    public void RunAlone(InferenceMetrics metrics)
    {
        MarkStarted(Stopwatch.GetTimestamp(), metrics);
        Model.Run(Rows, Inputs!, Outputs);
        ComputeFinishedAt = Stopwatch.GetTimestamp();
        metrics.Executed();
    }

    /// <summary>Records the start of the model run that serves this call; it stops counting as pending.</summary>
    public void MarkStarted(long timestamp, InferenceMetrics metrics)
    {
        ComputeStartedAt = timestamp;
        metrics.PendingRemoved();
    }

    public void Dispose()
    {
        foreach (var input in Inputs) input?.Dispose();
        foreach (var output in Outputs) output.Buffer.Dispose();
    }
}
