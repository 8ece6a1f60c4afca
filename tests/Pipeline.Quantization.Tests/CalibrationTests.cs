using Pipeline.Stages;
using Pipeline.Onnx;
using Pipeline.Quantization.Calibration;
using Pipeline.Quantization.Tests.Support;

namespace Pipeline.Quantization.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class CalibrationTests(OnnxRuntimeFixture ort)
{
    private const int Inputs = 64;

    [Fact]
    public async Task Percentile_calibration_clips_a_single_outlier_that_minmax_stretches_the_scale_for()
    {
        var random = new Random(11);
        var rows = TestModels.Uniform(random, 1000 * Inputs, 1);
        rows[12_345] = 1000f;
        var model = TestModels.SingleLayer(TestModels.Uniform(random, Inputs * 8, 0.2), Inputs, 8, new float[8]);
        var data = new InMemoryCalibrationDataSource("input", rows, Inputs);
        var runner = new OnnxRuntimeCalibrationRunner(ort.Environment);

        var minMax = await StaticQdqQuantizer.QuantizeAsync(model, data, runner);
        var percentile = await StaticQdqQuantizer.QuantizeAsync(model, data, runner, new() { Calibration = CalibrationMethod.Percentile(99.99) });

        Assert.Equal(1001f / 255, InputScale(minMax), 1e-3f);
        // The bulk spans [-1, 1]: 2 / 255 within the histogram's 1% resolution.
        Assert.Equal(2f / 255, InputScale(percentile), 2f / 255 * 0.02f);
    }

    [Fact]
    public async Task Calibrator_reads_graph_inputs_and_intermediate_tensors_over_all_batches()
    {
        var model = TestModels.Mlp(12, 784, 16, 10);
        var rows = TestModels.PixelRows(seed: 12, rows: 250);
        var data = new InMemoryCalibrationDataSource("input", rows, TestModels.Features, batchSize: 64);

        var result = await ActivationCalibrator.CalibrateAsync(model, ["input", "normalized", "layer0.activation", "probabilities"],
            data, new OnnxRuntimeCalibrationRunner(ort.Environment), CalibrationMethod.MinMax);

        Assert.Equal(250, result.SampleCount);
        Assert.Equal(new TensorRange(rows.Min(), rows.Max()), result.Ranges["input"]);
        Assert.Equal(0f, result.Ranges["layer0.activation"].Min);
        Assert.True(result.Ranges["layer0.activation"].Max > 0);
        Assert.True(result.Ranges["normalized"].Min < 0);
        Assert.InRange(result.Ranges["probabilities"].Max, 0.1f, 1f);
    }

    [Fact]
    public async Task Calibrating_a_tensor_the_model_does_not_have_is_rejected_by_name()
    {
        var data = new InMemoryCalibrationDataSource("input", TestModels.PixelRows(seed: 14, rows: 2), TestModels.Features);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ActivationCalibrator.CalibrateAsync(
            TestModels.Mlp(14, 784, 8, 10), ["layer9.activation"], data, new OnnxRuntimeCalibrationRunner(ort.Environment), CalibrationMethod.MinMax));

        Assert.Contains("'layer9.activation' is not a tensor", error.Message);
    }

    [Fact]
    public void Percentile_range_keeps_the_chosen_share_of_values_on_each_side()
    {
        var collector = CalibrationMethod.Percentile(99).CreateCollector("t");
        // -100..-1 and 1..9900: the 1st percentile is near -1 and the 99th near 9800.
        collector.Add(Enumerable.Range(1, 100).Select(v => -(float)v).Concat(Enumerable.Range(1, 9900).Select(v => (float)v)).ToArray());

        var range = collector.Range;

        Assert.InRange(range.Min, -1f * 1.01f, -0.99f);
        Assert.InRange(range.Max, 9800f, 9800f * 1.01f);
    }

    [Fact]
    public void Percentile_of_one_hundred_keeps_the_full_range()
    {
        var collector = CalibrationMethod.Percentile(100).CreateCollector("t");
        collector.Add([-3.5f, 0f, 0.25f, 7.75f]);

        Assert.Equal(new TensorRange(-3.5f, 7.75f), collector.Range);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_activation_values_fail_calibration_naming_the_tensor(float value)
    {
        foreach (var method in new[] { CalibrationMethod.MinMax, CalibrationMethod.Percentile() })
        {
            var collector = method.CreateCollector("layer0.activation");

            var error = Assert.Throws<InvalidDataException>(() => collector.Add([1f, value]));

            Assert.Contains("'layer0.activation'", error.Message);
        }
    }

    [Theory]
    [InlineData(50)]
    [InlineData(100.5)]
    public void Percentile_outside_50_to_100_is_rejected(double percentile)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationMethod.Percentile(percentile));

        Assert.Contains("99.99", error.Message);
    }

    [Fact]
    public async Task Empty_data_source_fails_with_a_message_asking_for_a_sample()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ActivationCalibrator.CalibrateAsync(
            TestModels.Mlp(13, 784, 8, 10), ["normalized"], new EmptyDataSource(), new OnnxRuntimeCalibrationRunner(ort.Environment), CalibrationMethod.MinMax));

        Assert.Contains("no batches", error.Message);
    }

    private static float InputScale(QuantizationResult result) =>
        OnnxTensors.ToFloats(result.Model.Graph.GetInitializer("input_scale"))[0];

    private sealed class EmptyDataSource : ICalibrationDataSource
    {
        public IAsyncEnumerable<CalibrationBatch> ReadBatchesAsync(CancellationToken cancellationToken = default) =>
            AsyncEnumerable.Empty<CalibrationBatch>();
    }
}
