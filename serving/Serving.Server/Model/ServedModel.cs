using Pipeline.OnnxRuntime;
using Serving.Server.Inference;

namespace Serving.Server.Model;

/// <summary>The loaded model: its identity, its interface and the ONNX Runtime session that runs it.</summary>
internal sealed class ServedModel : IDisposable
{
    public const string Platform = "onnxruntime_onnx";

    private readonly InferenceSession _session;

    public ServedModel(string name, string version, string fileSha256, InferenceSession session,
        IReadOnlyList<TensorSpec> inputs, IReadOnlyList<TensorSpec> outputs, IReadOnlyList<string>? classNames = null)
    {
        ClassNames = classNames ?? [];
        Name = name;
        Version = version;
        FileSha256 = fileSha256;
        _session = session;
        Inputs = inputs;
        Outputs = outputs;
        InputNames = string.Join(", ", inputs.Select(i => i.Name));
        OutputNames = string.Join(", ", outputs.Select(o => o.Name));
        WritesOutputsInPlace = !inputs.Concat(outputs).Any(spec => spec.ElementType == TensorElementType.String);
    }

    public string Name { get; }

    public string Version { get; }

    public string FileSha256 { get; }

    public IReadOnlyList<TensorSpec> Inputs { get; }

    public IReadOnlyList<TensorSpec> Outputs { get; }

    /// <summary>The model's class_names metadata (class labels in probability-column order); empty when it has none.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Comma-separated, for error messages.</summary>
    public string InputNames { get; }

    public string OutputNames { get; }

    /// <summary>
    /// Whether runs write outputs straight into the call's buffers (numbers and booleans only). ONNX Runtime keeps
    /// strings in its own memory, so a model with a BYTES input or output takes the copying path instead.
    /// </summary>
    public bool WritesOutputsInPlace { get; }

    public int FindInput(string name) => Find(Inputs, name);

    public int FindOutput(string name) => Find(Outputs, name);

    /// <summary>
    /// Runs <paramref name="rows"/> rows, writing each bound output into its buffer. <paramref name="inputs"/> follows
    /// the model's input order; each buffer holds exactly rows × row-size elements.
    /// </summary>
    public void Run(int rows, IReadOnlyList<TensorBuffer> inputs, IReadOnlyList<OutputBinding> outputs)
    {
        var inputTensors = new NamedTensor[Inputs.Count];
        for (var i = 0; i < inputTensors.Length; i++)
            inputTensors[i] = new NamedTensor(Inputs[i].Name, inputs[i].AsTensor(Inputs[i].ShapeWithBatch(rows)));

        if (!WritesOutputsInPlace)
        {
            RunAndCopy(inputTensors, outputs);
            return;
        }

        var outputTensors = new NamedTensor[outputs.Count];
        for (var i = 0; i < outputTensors.Length; i++)
        {
            var spec = Outputs[outputs[i].OutputIndex];
            outputTensors[i] = new NamedTensor(spec.Name, outputs[i].Buffer.AsTensor(spec.ShapeWithBatch(rows)));
        }

        _session.RunInto(inputTensors, outputTensors);
    }

    public void Dispose() => _session.Dispose();

    private void RunAndCopy(NamedTensor[] inputTensors, IReadOnlyList<OutputBinding> outputs)
    {
        var names = new string[outputs.Count];
        for (var i = 0; i < names.Length; i++) names[i] = Outputs[outputs[i].OutputIndex].Name;
        var results = _session.Run(inputTensors, names);
        for (var i = 0; i < names.Length; i++) outputs[i].Buffer.CopyFrom(results[i].Tensor);
    }

    private static int Find(IReadOnlyList<TensorSpec> specs, string name)
    {
        for (var i = 0; i < specs.Count; i++)
            if (specs[i].Name == name) return i;
        return -1;
    }
}

/// <summary>A model output written into a caller-owned buffer.</summary>
internal readonly record struct OutputBinding(int OutputIndex, TensorBuffer Buffer);
