using System.Reflection;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Training.Models;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Training.Export;

/// <summary>
/// Turns a trained <see cref="MlpModel"/> into a self-contained ONNX model: callers send raw features and get
/// class probabilities and the predicted label, with normalization, layers, softmax and argmax in the graph.
/// Layers become MatMul + Add rather than Gemm, the form dynamic quantization rewrites to MatMulInteger;
/// ONNX Runtime fuses the pair at load time, so it costs nothing at inference.
/// </summary>
public static class MlpOnnxExporter
{
    public const string InputName = "input";
    public const string ProbabilitiesOutputName = "probabilities";
    public const string LabelOutputName = "label";
    public const string BatchDimension = "N";
    public const string ProducerName = "mlops-pipeline";

    public static ModelProto Export(MlpModel model, OnnxExportMetadata metadata)
    {
        var properties = ExportMetadataProperties.Create(metadata, model.ClassNames);
        var graph = new OnnxGraphBuilder(metadata.ModelName)
            .AddInput(InputName, DataType.Float, BatchDimension, model.InputSize)
            .AddOutput(ProbabilitiesOutputName, DataType.Float, BatchDimension, model.ClassCount)
            .AddOutput(LabelOutputName, DataType.Int64, BatchDimension);

        var logits = AddLayers(graph, AddNormalization(graph, model.Normalizer), model.Layers);
        graph
            .AddNode("Softmax", "softmax", [logits], [ProbabilitiesOutputName], OnnxAttributes.Int("axis", 1))
            // Argmax of the logits rather than of the probabilities: softmax can round distinct logits to equal
            // probabilities (0 or 1 in float32), which would make the label depend on tie-breaking.
            .AddNode("ArgMax", "argmax", [logits], [LabelOutputName],
                OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0));

        var builder = new OnnxModelBuilder(graph)
            .WithProducer(ProducerName, ProducerVersion())
            .WithDocString(DescribeInterface(model));
        foreach (var (key, value) in properties)
            builder.WithMetadata(key, value);
        return builder.Build();
    }

    private static string AddNormalization(OnnxGraphBuilder graph, FeatureNormalizer normalizer)
    {
        graph
            .AddFloatInitializer("normalizer.mean", normalizer.Mean, normalizer.FeatureCount)
            .AddFloatInitializer("normalizer.inverse_std", normalizer.InverseStd, normalizer.FeatureCount)
            .AddNode("Sub", "normalizer.sub", [InputName, "normalizer.mean"], ["normalizer.centered"])
            .AddNode("Mul", "normalizer.mul", ["normalizer.centered", "normalizer.inverse_std"], ["normalized"]);
        return "normalized";
    }

    private static string AddLayers(OnnxGraphBuilder graph, string input, IReadOnlyList<DenseLayer> layers)
    {
        var current = input;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var prefix = $"layer{i}";
            var isLast = i == layers.Count - 1;
            var linear = isLast && layer.Activation == Activation.None ? "logits" : $"{prefix}.linear";
            graph
                .AddFloatInitializer($"{prefix}.weight", layer.Weights, layer.InputSize, layer.OutputSize)
                .AddFloatInitializer($"{prefix}.bias", layer.Bias, layer.OutputSize)
                .AddNode("MatMul", $"{prefix}.matmul", [current, $"{prefix}.weight"], [$"{prefix}.product"])
                .AddNode("Add", $"{prefix}.add", [$"{prefix}.product", $"{prefix}.bias"], [linear]);
            current = layer.Activation switch
            {
                Activation.None => linear,
                Activation.Relu => AddRelu(graph, prefix, linear, isLast ? "logits" : $"{prefix}.activation"),
                _ => throw new NotSupportedException($"Layer {i} uses activation {layer.Activation}, which the ONNX export does not support yet."),
            };
        }
        return current;
    }

    private static string AddRelu(OnnxGraphBuilder graph, string prefix, string input, string output)
    {
        graph.AddNode("Relu", $"{prefix}.relu", [input], [output]);
        return output;
    }

    private static string DescribeInterface(MlpModel model) =>
        $"Classifies {model.InputSize}-feature rows into {model.ClassCount} classes. "
        + $"Input '{InputName}': float32 [{BatchDimension}, {model.InputSize}], raw feature values on the scale of the training data "
        + "(normalization is part of the graph). "
        + $"Output '{ProbabilitiesOutputName}': float32 [{BatchDimension}, {model.ClassCount}], softmax class probabilities. "
        + $"Output '{LabelOutputName}': int64 [{BatchDimension}], index of the most likely class; "
        + $"metadata '{OnnxMetadataKeys.ClassNames}' maps indices to names.";

    private static string ProducerVersion() =>
        typeof(MlpOnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
