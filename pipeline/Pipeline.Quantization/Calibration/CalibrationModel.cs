using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Calibration;

/// <summary>A copy of a model that also outputs chosen intermediate tensors, so a runner can read their values.</summary>
/// <param name="OutputNames">Each tensor to calibrate → the graph output carrying its values.</param>
internal sealed record CalibrationModel(ModelProto Model, IReadOnlyDictionary<string, string> OutputNames)
{
    public static CalibrationModel Expose(ModelProto model, IEnumerable<string> tensorNames)
    {
        var copy = model.Clone();
        var graph = copy.Graph;
        var names = new GraphNames(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var produced = graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var given = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal);
        var outputNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tensor in tensorNames.Distinct())
        {
            if (outputs.Contains(tensor))
            {
                outputNames[tensor] = tensor;
            }
            else if (produced.Contains(tensor))
            {
                graph.Output.Add(FloatOfAnyShape(tensor));
                outputNames[tensor] = tensor;
            }
            else if (!given.Contains(tensor))
            {
                throw new ArgumentException(
                    $"'{tensor}' is not a tensor of model graph '{graph.Name}'; calibrate the names {nameof(StaticQdqQuantizer)}.{nameof(StaticQdqQuantizer.FindActivations)} returns.",
                    nameof(tensorNames));
            }
            else
            {
                // A graph input or initializer cannot be listed as a graph output of its own, so copy it out.
                var copyName = names.Unique($"{tensor}_calibration_copy");
                graph.Node.Add(new NodeProto { OpType = "Identity", Name = names.Unique($"{tensor}_calibration_identity"), Input = { tensor }, Output = { copyName } });
                graph.Output.Add(FloatOfAnyShape(copyName));
                outputNames[tensor] = copyName;
            }
        }
        OnnxModelValidator.Validate(copy);
        return new CalibrationModel(copy, outputNames);
    }

    // No shape field at all means "unknown shape"; an empty shape would declare a scalar.
    private static ValueInfoProto FloatOfAnyShape(string name) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float } } };
}
