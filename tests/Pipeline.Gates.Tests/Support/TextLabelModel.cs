using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Gates.Tests.Support;

/// <summary>
/// A real ONNX classifier with a tabular model's serving contract: named inputs of different types (float
/// <c>weight</c> [N,1], string <c>colour</c> [N,1]), <c>probabilities</c> float [N,2] = softmax([w, −w]) and a text
/// <c>label</c> [N] ("heavy" for w &gt; 0, else "light") gathered from its class names, which metadata_props lists.
/// </summary>
internal static class TextLabelModel
{
    public static readonly string[] ClassNames = ["heavy", "light"];

    public static string Write(string directory, string fileName, bool withClassNames = true)
    {
        var classes = new TensorProto { Name = "classes", DataType = (int)DataType.String };
        classes.Dims.Add(ClassNames.Length);
        classes.StringData.AddRange(ClassNames.Select(ByteString.CopyFromUtf8));
        var graph = new OnnxGraphBuilder("text-label")
            .AddInput("weight", DataType.Float, "N", 1)
            .AddInput("colour", DataType.String, "N", 1)
            .AddOutput("probabilities", DataType.Float, "N", 2)
            .AddOutput("label", DataType.String, "N")
            .AddInitializer(classes)
            .AddNode("Neg", "negate", ["weight"], ["negated"])
            .AddNode("Concat", "logits", ["weight", "negated"], ["logits"], OnnxAttributes.Int("axis", 1))
            .AddNode("Softmax", "softmax", ["logits"], ["probabilities"], OnnxAttributes.Int("axis", 1))
            .AddNode("ArgMax", "argmax", ["logits"], ["index"], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("keepdims", 0))
            .AddNode("Gather", "label", ["classes", "index"], ["label"], OnnxAttributes.Int("axis", 0));
        var builder = new OnnxModelBuilder(graph);
        if (withClassNames) builder = builder.WithMetadata("class_names", System.Text.Json.JsonSerializer.Serialize(ClassNames));
        var path = Path.Combine(directory, fileName);
        OnnxModelFile.WriteAtomically(builder.Build(), path);
        return path;
    }
}
