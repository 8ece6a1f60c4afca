using Pipeline.Onnx;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Serving.Server.Tests.Support;

/// <summary>
/// Models with an input and an output of each served datatype, as tabular (ML.NET) models have them: every input
/// [N, 2] passed through Identity to "{name}_out", plus IsNaN of the float inputs, so a test sees what reached the model.
/// </summary>
public static class DatatypeModels
{
    public const int Width = 2;

    /// <summary>Input name and OIP datatype; "text" (BYTES) only in the model with strings.</summary>
    public static readonly (string Name, string Datatype, DataType Type)[] Inputs =
    [
        ("f32", "FP32", DataType.Float),
        ("f64", "FP64", DataType.Double),
        ("i32", "INT32", DataType.Int32),
        ("i64", "INT64", DataType.Int64),
        ("flag", "BOOL", DataType.Bool),
        ("text", "BYTES", DataType.String),
    ];

    /// <param name="withStrings">Whether the model has the BYTES input and output (the copying run path) or not
    /// (numbers and booleans only: the in-place path).</param>
    public static string Write(string path, bool withStrings)
    {
        var graph = new OnnxGraphBuilder(withStrings ? "all_types" : "numeric_types");
        foreach (var (name, _, type) in Inputs.Where(i => withStrings || i.Type != DataType.String))
        {
            graph.AddInput(name, type, "N", Width)
                .AddOutput(name + "_out", type, "N", Width)
                .AddNode("Identity", "identity_" + name, [name], [name + "_out"]);
        }

        graph.AddOutput("f32_missing", DataType.Bool, "N", Width)
            .AddOutput("f64_missing", DataType.Bool, "N", Width)
            .AddNode("IsNaN", "isnan_f32", ["f32"], ["f32_missing"])
            .AddNode("IsNaN", "isnan_f64", ["f64"], ["f64_missing"]);
        OnnxModelFile.WriteAtomically(new OnnxModelBuilder(graph).Build(), path);
        return path;
    }

    /// <summary>The mean a missing bill_length_mm is imputed with by <see cref="WriteTabular"/>.</summary>
    public const float BillLengthMean = 43.9f;

    /// <summary>
    /// The shape of an ML.NET tabular classifier: island BYTES [N, 1] and bill_length_mm FP32 [N, 1] in;
    /// probabilities FP32 [N, 2] (the bill length, a missing one imputed with the mean, twice) and label BYTES [N]
    /// (the island) out.
    /// </summary>
    public static string WriteTabular(string path)
    {
        var graph = new OnnxGraphBuilder("tabular")
            .AddInput("island", DataType.String, "N", 1)
            .AddInput("bill_length_mm", DataType.Float, "N", 1)
            .AddOutput("probabilities", DataType.Float, "N", 2)
            .AddOutput("label", DataType.String, "N")
            .AddFloatInitializer("mean", [BillLengthMean])
            .AddInt64Initializer("flat", [-1], 1)
            .AddNode("IsNaN", "missing", ["bill_length_mm"], ["bill_missing"])
            .AddNode("Where", "impute", ["bill_missing", "mean", "bill_length_mm"], ["bill_imputed"])
            .AddNode("Concat", "concat", ["bill_imputed", "bill_imputed"], ["probabilities"], OnnxAttributes.Int("axis", 1))
            .AddNode("Reshape", "flatten", ["island", "flat"], ["label"]);
        OnnxModelFile.WriteAtomically(new OnnxModelBuilder(graph).Build(), path);
        return path;
    }
}
