using Pipeline.Stages;
using Pipeline.Onnx.Protos;
using Pipeline.Quantization.Calibration;
using Pipeline.Quantization.Tests.Support;

namespace Pipeline.Quantization.Tests;

/// <summary>
/// A layer whose first output column has weights a hundred times larger than the others: one per-tensor scale
/// then leaves the small columns only a level or two, while per-channel scales give each column all 63 (7-bit
/// weights, the default, so the comparison is the same on CPUs with and without VNNI).
/// </summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class PerChannelAccuracyTests(OnnxRuntimeFixture ort)
{
    private const int Inputs = 64;
    private const int Outputs = 16;

    [Fact]
    public void Dynamic_per_channel_is_more_accurate_than_per_tensor_on_unequal_columns()
    {
        var (model, rows) = UnequalColumnsLayer();
        var expected = ModelExecution.RunLayer(ort.Environment, model, rows, Inputs);

        var perTensor = Error(expected, DynamicInt8Quantizer.Quantize(model).Model, rows);
        var perChannel = Error(expected, DynamicInt8Quantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = true }).Model, rows);

        Assert.True(perChannel < perTensor / 4, $"per-channel RMS error {perChannel:G4} should be well below per-tensor {perTensor:G4}");
    }

    [Fact]
    public async Task Static_per_channel_is_more_accurate_than_per_tensor_on_unequal_columns()
    {
        var (model, rows) = UnequalColumnsLayer();
        var expected = ModelExecution.RunLayer(ort.Environment, model, rows, Inputs);
        var data = new InMemoryCalibrationDataSource("input", rows, Inputs);
        var runner = new OnnxRuntimeCalibrationRunner(ort.Environment);

        var perTensor = Error(expected, (await StaticQdqQuantizer.QuantizeAsync(model, data, runner)).Model, rows);
        var perChannel = Error(expected, (await StaticQdqQuantizer.QuantizeAsync(model, data, runner, new() { PerChannel = true })).Model, rows);

        Assert.True(perChannel < perTensor / 4, $"per-channel RMS error {perChannel:G4} should be well below per-tensor {perTensor:G4}");
    }

    private double Error(float[] expected, ModelProto quantized, float[] rows)
    {
        var actual = ModelExecution.RunLayer(ort.Environment, quantized, rows, Inputs);
        var error = ModelExecution.RootMeanSquareError(SmallColumns(expected), SmallColumns(actual));
        return error > 0 ? error : throw new InvalidOperationException("A quantized layer matched float exactly; the comparison would prove nothing.");
    }

    private static float[] SmallColumns(float[] outputs) => outputs.Where((_, i) => i % Outputs != 0).ToArray();

    private static (ModelProto Model, float[] Rows) UnequalColumnsLayer()
    {
        var random = new Random(7);
        var weight = TestModels.Uniform(random, Inputs * Outputs, 0.05);
        for (var row = 0; row < Inputs; row++) weight[row * Outputs] *= 100;
        var model = TestModels.SingleLayer(weight, Inputs, Outputs, TestModels.Uniform(random, Outputs, 0.1));
        return (model, TestModels.Uniform(random, 500 * Inputs, 1));
    }
}
