using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Pipeline.OnnxRuntime;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Training.MlNet;

/// <summary>
/// Rewrites what ConvertToOnnx wrote into the serving contract: one input per feature column (name, type, [N, width]),
/// outputs <c>probabilities</c> and <c>label</c> (original label values) or <c>value</c>, and nothing else. Every
/// pass-through copy ML.NET adds (<c>island.output</c>, <c>Features.output</c>, ...) and the label input go.
/// </summary>
internal static class OnnxContractNormalizer
{
    // ML.NET names the graph output of column C "C.output".
    private const string ScoreOutput = "Score.output";
    private const string PredictedLabelOutput = ClassValues.PredictedLabelColumn + ".output";
    private const string Prefix = "mlnet.contract.";

    public static void Normalize(ModelProto model, IModelDefinition definition, IReadOnlyList<FeatureColumn> features, ClassValues? classes)
    {
        var graph = model.Graph;
        foreach (var name in ServingContract.OutputNames(definition.Task))
        {
            if (features.Any(f => f.Name == name))
                throw new InvalidOperationException(
                    $"Feature column '{name}' of model '{definition.Name}' has the name of a served output; rename the column in LoadAsync.");
            // A source column may already be called "label" (Fashion-MNIST's is): move it out of the way.
            if (OnnxGraphPruning.IsDefined(graph, name)) OnnxGraphPruning.Rename(graph, name, Prefix + "renamed." + name);
        }

        var outputs = definition.Task switch
        {
            ModelTask.MulticlassClassification => Classification(graph, classes ?? throw new ArgumentNullException(nameof(classes))),
            ModelTask.Regression => [Regression(graph)],
            _ => throw new NotSupportedException(
                $"Model '{definition.Name}' is {definition.Task}, which the ML.NET export does not normalize yet (ML.NET's binary Score is a raw margin, not the [N, 2] probabilities the contract serves); use a multiclass trainer."),
        };
        graph.Output.Clear();
        graph.Output.AddRange(outputs);
        var needed = OnnxGraphPruning.RemoveUnneeded(graph);
        // ML.NET declares some intermediate shapes wrongly ([N, 3] for OneHotEncoder's [N, 1, 3]), which makes ORT warn
        // on every load; value_info is optional, so ORT's own shape inference takes over.
        graph.ValueInfo.Clear();
        SetInputs(graph, definition, features, needed);
        OnnxModelValidator.Validate(model);
    }

    private static ValueInfoProto[] Classification(GraphProto graph, ClassValues classes)
    {
        var score = RequireOutput(graph, ScoreOutput, "the class scores");
        var width = score.Type?.TensorType?.Shape?.Dim.LastOrDefault()?.DimValue;
        if (score.Type?.TensorType?.ElemType != (int)DataType.Float || width != classes.Count)
            throw new InvalidOperationException(
                $"ONNX output '{ScoreOutput}' is not float [N, {classes.Count}] (one probability per class) but {Describe(score)}; the trainer's scores did not convert as a probability per class.");
        var predicted = RequireOutput(graph, PredictedLabelOutput, "the predicted class key");

        graph.Node.Add(Node("Identity", [ScoreOutput], [ServingContract.Probabilities]));
        // PredictedLabel is ML.NET's 1-based key (uint32, [N, 1]); key k is class k-1 of the class values.
        graph.Initializer.Add(OnnxTensors.FromInt64s(Prefix + "one", [1]));
        graph.Initializer.Add(OnnxTensors.FromInt64s(Prefix + "flat", [-1], 1));
        graph.Initializer.Add(ClassValuesTensor(classes));
        graph.Node.Add(Node("Cast", [predicted.Name], [Prefix + "key"], OnnxAttributes.Int("to", (long)DataType.Int64)));
        graph.Node.Add(Node("Sub", [Prefix + "key", Prefix + "one"], [Prefix + "index"]));
        graph.Node.Add(Node("Reshape", [Prefix + "index", Prefix + "flat"], [Prefix + "index_flat"]));
        graph.Node.Add(Node("Gather", [Prefix + "class_values", Prefix + "index_flat"], [ServingContract.Label], OnnxAttributes.Int("axis", 0)));
        return
        [
            OnnxValueInfo.Tensor(ServingContract.Probabilities, DataType.Float, ServingContract.Batch, classes.Count),
            OnnxValueInfo.Tensor(ServingContract.Label, classes.Integers is null ? DataType.String : DataType.Int64, ServingContract.Batch),
        ];
    }

    private static ValueInfoProto Regression(GraphProto graph)
    {
        var score = RequireOutput(graph, ScoreOutput, "the predicted value");
        if (score.Type?.TensorType?.ElemType != (int)DataType.Float)
            throw new InvalidOperationException($"ONNX output '{ScoreOutput}' is {Describe(score)}, not float; the regression trainer's score did not convert as expected.");
        graph.Initializer.Add(OnnxTensors.FromInt64s(Prefix + "flat", [-1], 1));
        graph.Node.Add(Node("Reshape", [ScoreOutput, Prefix + "flat"], [ServingContract.Value]));
        return OnnxValueInfo.Tensor(ServingContract.Value, DataType.Float, ServingContract.Batch);
    }

    /// <summary>Exactly the feature columns, in order, typed per the contract; any other input a kept node reads is an error.</summary>
    private static void SetInputs(GraphProto graph, IModelDefinition definition, IReadOnlyList<FeatureColumn> features, HashSet<string> needed)
    {
        var inputs = features.Select(feature =>
        {
            var existing = graph.Input.FirstOrDefault(i => i.Name == feature.Name)
                ?? throw new InvalidOperationException(
                    $"The ONNX model has no input '{feature.Name}' for feature column '{feature.Name}' (inputs: {string.Join(", ", graph.Input.Select(i => i.Name))}); ConvertToOnnx was not given that column.");
            var type = ContractType(feature.ElementType);
            if (existing.Type?.TensorType?.ElemType != (int)type)
                throw new InvalidOperationException(
                    $"ONNX input '{feature.Name}' is {Describe(existing)} but feature column '{feature.Name}' is {feature.ElementType}; the converter typed it differently, so a client sending the column's type would be refused.");
            return OnnxValueInfo.Tensor(feature.Name, type, ServingContract.Batch, feature.Width);
        }).ToList();

        foreach (var other in graph.Input.Where(i => needed.Contains(i.Name) && features.All(f => f.Name != i.Name)))
        {
            var reader = graph.Node.First(n => n.Input.Contains(other.Name));
            throw new InvalidOperationException(
                $"Node '{reader.Name}' ({reader.OpType}) of the exported model reads input '{other.Name}', which is not a feature column of model '{definition.Name}' ({string.Join(", ", definition.FeatureColumns)}). "
                + (other.Name == definition.LabelColumn
                    ? "The served model would need the label to answer: keep label transforms out of the feature path."
                    : "Add the column to FeatureColumns or stop the chain from reading it."));
        }
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
    }

    private static ValueInfoProto RequireOutput(GraphProto graph, string name, string what) =>
        graph.Output.FirstOrDefault(o => o.Name == name)
        ?? throw new InvalidOperationException(
            $"ConvertToOnnx wrote no output '{name}' ({what}); it wrote: {string.Join(", ", graph.Output.Select(o => o.Name))}. The chain's last step must be a trainer of the definition's task.");

    private static TensorProto ClassValuesTensor(ClassValues classes)
    {
        if (classes.Integers is { } integers)
            return OnnxTensors.FromInt64s(Prefix + "class_values", integers, integers.Length);
        var tensor = new TensorProto { Name = Prefix + "class_values", DataType = (int)DataType.String };
        tensor.Dims.Add(classes.Count);
        tensor.StringData.AddRange(classes.Names.Select(ByteString.CopyFromUtf8));
        return tensor;
    }

    private static DataType ContractType(TensorElementType type) => type switch
    {
        TensorElementType.Float => DataType.Float,
        TensorElementType.Double => DataType.Double,
        TensorElementType.Int32 => DataType.Int32,
        TensorElementType.Int64 => DataType.Int64,
        TensorElementType.Bool => DataType.Bool,
        TensorElementType.String => DataType.String,
        _ => throw new NotSupportedException($"Element type {type} is not part of the serving contract."),
    };

    private static NodeProto Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Prefix + outputs[0].Replace(Prefix, "", StringComparison.Ordinal) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static string Describe(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null) return "not a tensor";
        var dims = tensor.Shape?.Dim.Select(d => d.HasDimParam ? d.DimParam : d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?") ?? [];
        return $"{(DataType)tensor.ElemType} [{string.Join(", ", dims)}]";
    }
}
