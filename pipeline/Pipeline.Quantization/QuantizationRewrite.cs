using Pipeline.Onnx;
using Pipeline.Onnx.Protos;

namespace Pipeline.Quantization;

/// <summary>
/// The steps both quantizers share: copy the model, split eligible Gemms into MatMul + Add, find the MatMuls with
/// constant weights; and at the end drop float weights nothing reads any more, record metadata, validate and summarize.
/// </summary>
internal sealed class QuantizationRewrite
{
    private readonly ModelProto _original;
    private readonly GemmSplit _split;
    private readonly List<SkippedNode> _skipped;

    private QuantizationRewrite(ModelProto original, ModelProto model, IReadOnlySet<string> excluded)
    {
        _original = original;
        Model = model;
        Weights = new ConstantWeights(Graph);
        Names = new GraphNames(Graph);
        _skipped = [];
        _split = GemmSplitter.Split(Graph, Weights, Names, excluded, _skipped);
        MatMuls = QuantizableMatMul.FindAll(Graph, Weights, _split, excluded, _skipped);
    }

    public ModelProto Model { get; }

    public GraphProto Graph => Model.Graph;

    public ConstantWeights Weights { get; }

    public GraphNames Names { get; }

    public IReadOnlyList<QuantizableMatMul> MatMuls { get; }

    /// <param name="what">The quantization's name, for error messages.</param>
    /// <param name="minimumOpset">The default-domain opset the inserted operators need.</param>
    public static QuantizationRewrite Begin(ModelProto model, string what, long minimumOpset, IReadOnlySet<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(excluded);
        if (model.Graph is null) throw new ArgumentException($"{what} needs a model with a graph; this model has none.", nameof(model));
        var opset = model.FindOpsetVersion("");
        if (opset is null || opset < minimumOpset)
            throw new ArgumentException(
                $"{what} inserts operators from default opset {minimumOpset}, but the model imports "
                + (opset is null ? "no default opset" : $"opset {opset}")
                + $". Export the model with opset {minimumOpset} or newer (the pipeline's exporter uses {OnnxModelBuilder.DefaultOpsetVersion}).",
                nameof(model));
        return new QuantizationRewrite(model, model.Clone(), excluded);
    }

    public QuantizationResult Finish(QuantizationMethod method, bool perChannel, IEnumerable<(string Key, string Value)> metadata)
    {
        var originalBytes = InitializerBytes(_original.Graph);
        if (MatMuls.Count == 0)
        {
            // Nothing to quantize means nothing was split either (every split Gemm yields a quantizable MatMul).
            return new QuantizationResult(_original.Clone(),
                new QuantizationSummary(method, perChannel, 0, originalBytes, originalBytes, [], _skipped));
        }

        RemoveUnreadInitializers(MatMuls.Select(m => m.Weight.Name).Concat(_split.ReplacedWeights));
        Model.SetMetadata(QuantizationMetadataKeys.Method, QuantizationMetadataKeys.Name(method));
        Model.SetMetadata(QuantizationMetadataKeys.PerChannel, perChannel ? "true" : "false");
        Model.SetMetadata(QuantizationMetadataKeys.WeightType, "int8");
        foreach (var (key, value) in metadata) Model.SetMetadata(key, value);
        // A rewrite bug must surface here, naming the problem, not as an ONNX Runtime load failure later.
        OnnxModelValidator.Validate(Model);

        return new QuantizationResult(Model, new QuantizationSummary(
            method, perChannel, MatMuls.Count, originalBytes, InitializerBytes(Graph), MatMuls.Select(m => m.SourceName).ToList(), _skipped));
    }

    public static long InitializerBytes(GraphProto graph) =>
        graph.Initializer.Sum(t => t.HasRawData
            ? t.RawData.Length
            : OnnxTensorData.ElementCount(t) * (OnnxTensorData.ElementSize((TensorProto.Types.DataType)t.DataType) ?? 0));

    private void RemoveUnreadInitializers(IEnumerable<string> candidates)
    {
        var read = ValuesRead(Graph).Concat(Graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in candidates.Distinct().Where(name => !read.Contains(name)))
            Graph.RemoveInitializer(name);
    }

    // Subgraphs (If, Loop, Scan bodies) may read the outer graph's initializers by name.
    private static IEnumerable<string> ValuesRead(GraphProto graph) =>
        graph.Node.SelectMany(node => node.Input.Concat(
            node.Attribute.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>().SelectMany(ValuesRead)));
}
