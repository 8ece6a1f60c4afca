using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using TestSupport;
using Training.Models;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Training.Export.Tests;

public sealed class MlpOnnxExporterTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 32 })]
    [InlineData(new[] { 24, 16 })]
    public async Task Exported_model_passes_the_official_checker_with_full_shape_inference(int[] hiddenSizes)
    {
        var path = _directory.File("model.onnx");
        await OnnxModelFile.WriteAtomicallyAsync(MlpOnnxExporter.Export(SampleMlp.Create(1, hiddenSizes), SampleMlp.Metadata()), path);

        await OnnxChecker.AssertValidAsync(path);
    }

    [Fact]
    public async Task Model_whose_last_layer_has_relu_exports_and_passes_the_checker()
    {
        var model = MlpOnnxExporter.Export(SampleMlp.Create(2, Activation.Relu, 8), SampleMlp.Metadata());
        var path = _directory.File("relu-last.onnx");
        OnnxModelFile.WriteAtomically(model, path);

        Assert.Equal(["Sub", "Mul", "MatMul", "Add", "Relu", "MatMul", "Add", "Relu", "Softmax", "ArgMax"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal("layer1.relu", model.Graph.FindProducer("logits")?.Name);
        await OnnxChecker.AssertValidAsync(path);
    }

    [Fact]
    public void Model_format_is_ir_8_with_default_opset_17_and_names_its_producer()
    {
        var model = ExportAndReadBack(SampleMlp.Create(3, 16));

        Assert.Equal(8, model.IrVersion);
        Assert.Equal([("", 17L)], model.OpsetImport.Select(o => (o.Domain, o.Version)));
        Assert.Equal("mlops-pipeline", model.ProducerName);
        Assert.False(string.IsNullOrEmpty(model.ProducerVersion));
        Assert.Equal("fashion-mnist-mlp", model.Graph.Name);
    }

    [Fact]
    public void Input_is_float_raw_features_with_symbolic_batch_and_outputs_are_probabilities_and_int64_label()
    {
        var graph = ExportAndReadBack(SampleMlp.Create(3, 16)).Graph;

        var input = Assert.Single(graph.Input);
        Assert.Equal(("input", (int)DataType.Float, "N:784"), (input.Name, input.Type.TensorType.ElemType, Shape(input)));
        Assert.Equal(["probabilities", "label"], graph.Output.Select(o => o.Name));
        Assert.Equal(((int)DataType.Float, "N:10"), (graph.Output[0].Type.TensorType.ElemType, Shape(graph.Output[0])));
        Assert.Equal(((int)DataType.Int64, "N"), (graph.Output[1].Type.TensorType.ElemType, Shape(graph.Output[1])));
    }

    [Fact]
    public void Graph_normalizes_then_runs_each_layer_with_relu_between_then_softmax_and_argmax_of_the_logits()
    {
        var graph = ExportAndReadBack(SampleMlp.Create(4, 32, 16)).Graph;

        Assert.Equal(
            ["Sub", "Mul", "MatMul", "Add", "Relu", "MatMul", "Add", "Relu", "MatMul", "Add", "Softmax", "ArgMax"],
            graph.Node.Select(n => n.OpType));
        Assert.Equal(["input", "normalizer.mean"], graph.FindNode("normalizer.sub")!.Input);
        Assert.Equal(["normalized", "layer0.weight"], graph.FindNode("layer0.matmul")!.Input);
        Assert.Equal(["layer1.activation", "layer2.weight"], graph.FindNode("layer2.matmul")!.Input);
        Assert.Equal(["logits"], graph.FindNode("layer2.add")!.Output);

        var softmax = graph.FindNode("softmax")!;
        Assert.Equal(["logits"], softmax.Input);
        Assert.Equal([("axis", 1L)], softmax.Attribute.Select(a => (a.Name, a.I)));
        var argmax = graph.FindNode("argmax")!;
        Assert.Equal(["logits"], argmax.Input);
        Assert.Equal([("axis", 1L), ("keepdims", 0L)], argmax.Attribute.Select(a => (a.Name, a.I)));
    }

    [Fact]
    public void Initializers_hold_exactly_the_model_parameters_in_their_layout()
    {
        var model = SampleMlp.Create(5, 16);
        var graph = ExportAndReadBack(model).Graph;

        AssertTensor(graph, "normalizer.mean", model.Normalizer.Mean, 784);
        AssertTensor(graph, "normalizer.inverse_std", model.Normalizer.InverseStd, 784);
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            AssertTensor(graph, $"layer{i}.weight", layer.Weights, layer.InputSize, layer.OutputSize);
            AssertTensor(graph, $"layer{i}.bias", layer.Bias, layer.OutputSize);
        }
        Assert.Equal(6, graph.Initializer.Count);
    }

    [Fact]
    public void Metadata_records_name_version_lineage_parameters_metrics_class_names_and_time()
    {
        var model = ExportAndReadBack(SampleMlp.Create(6));

        Assert.Equal(
            [
                ("model_name", "fashion-mnist-mlp"),
                ("model_version", "1.2.0"),
                ("source_revision", "0123456789abcdef0123456789abcdef01234567"),
                ("training_data_sha256", $"{{\"train-images-idx3-ubyte.gz\":\"{new string('a', 64)}\",\"train-labels-idx1-ubyte.gz\":\"{new string('1', 64)}\"}}"),
                ("parameters", "{\"epochs\":\"12\",\"learning_rate\":\"0.001\",\"seed\":\"42\"}"),
                ("test_metrics", "{\"accuracy\":0.8875,\"macro_f1\":0.8861}"),
                ("class_names", "[\"T-shirt/top\",\"Trouser\",\"Pullover\",\"Dress\",\"Coat\",\"Sandal\",\"Shirt\",\"Sneaker\",\"Bag\",\"Ankle boot\"]"),
                ("created_utc", "2025-03-14T13:09:26.0000000Z"),
            ],
            model.MetadataProps.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Doc_string_explains_the_input_and_both_outputs()
    {
        var doc = ExportAndReadBack(SampleMlp.Create(6)).DocString;

        Assert.Contains("Input 'input': float32 [N, 784], raw feature values", doc);
        Assert.Contains("Output 'probabilities': float32 [N, 10], softmax class probabilities", doc);
        Assert.Contains("Output 'label': int64 [N], index of the most likely class", doc);
    }

    [Fact]
    public void Same_model_and_metadata_give_byte_identical_files_whatever_the_dictionary_order()
    {
        var model = SampleMlp.Create(7, 8);
        var metadata = SampleMlp.Metadata();
        var reordered = metadata with
        {
            DataHashes = metadata.DataHashes.Reverse().ToDictionary(),
            Parameters = metadata.Parameters.Reverse().ToDictionary(),
            Metrics = metadata.Metrics.Reverse().ToDictionary(),
        };

        Assert.Equal(MlpOnnxExporter.Export(model, metadata).ToByteArray(), MlpOnnxExporter.Export(model, reordered).ToByteArray());
    }

    [Fact]
    public void Missing_or_malformed_lineage_is_rejected_with_what_to_fix()
    {
        var model = SampleMlp.Create(8);
        var metadata = SampleMlp.Metadata();

        string Error(OnnxExportMetadata bad) => Assert.Throws<ArgumentException>(() => MlpOnnxExporter.Export(model, bad)).Message;

        Assert.StartsWith("DataHashes is empty", Error(metadata with { DataHashes = new Dictionary<string, string>() }));
        Assert.StartsWith("DataHashes['train.gz'] is 'abc', not a SHA-256",
            Error(metadata with { DataHashes = new Dictionary<string, string> { ["train.gz"] = "abc" } }));
        Assert.StartsWith("Metric 'accuracy' is NaN",
            Error(metadata with { Metrics = new Dictionary<string, double> { ["accuracy"] = double.NaN } }));
        Assert.StartsWith("SourceRevision is empty", Error(metadata with { SourceRevision = " " }));
        Assert.StartsWith("ModelName is empty", Error(metadata with { ModelName = "" }));
    }

    private ModelProto ExportAndReadBack(MlpModel model)
    {
        var path = _directory.File("model.onnx");
        OnnxModelFile.WriteAtomically(MlpOnnxExporter.Export(model, SampleMlp.Metadata()), path);
        return OnnxModelFile.Read(path);
    }

    private static void AssertTensor(GraphProto graph, string name, float[] expected, params long[] dims)
    {
        var tensor = graph.GetInitializer(name);
        Assert.Equal(dims, tensor.Dims);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), OnnxTensors.ToFloats(tensor).Select(BitConverter.SingleToInt32Bits));
    }

    private static string Shape(ValueInfoProto value) =>
        string.Join(":", value.Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? d.DimParam : d.DimValue.ToString()));
}
