using Xunit.Abstractions;
using Pipeline.Drift;
using Serving.Server.Hosting;
using Serving.Server.Tests.Support;
using Training.Data;

namespace Serving.Server.Tests;

/// <summary>
/// Drift bins on real Fashion-MNIST images and real ONNX Runtime: a baseline built from training images, PSI computed
/// from the scraped counters against the scraped baseline ratios with Pipeline.Drift's PSI.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class DriftMetricsTests(ServingFixture fixture, ITestOutputHelper output)
{
    private const string PixelMean = "input:input:mean";
    private const int ReferenceRows = 2000;

    [Fact]
    public async Task Reference_like_rows_score_low_and_inverted_images_score_far_above_the_threshold()
    {
        var data = await fixture.FashionMnist.Value;
        var baselinePath = await WriteBaselineAsync(data, fixture.TempFile("drift-test-baseline.json"));
        await using var server = await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { DriftBaselinePath = baselinePath });

        var start = await server.GetSeriesAsync();
        Assert.Equal(10, start.Bins("mlops_drift_baseline_ratio", PixelMean).Length);
        Assert.Equal(1.0, start.Bins("mlops_drift_baseline_ratio", PixelMean).Sum(), 6);
        Assert.Equal(10, start.Bins("mlops_drift_baseline_ratio", DriftQuantity.PredictedClassName).Length);

        // The reference rows themselves: the server's binning is the builder's, so the counts reproduce the baseline.
        await SendAsync(server, ReferenceIndices(data).Select(i => data.Train.Sample(i).ToArray()));
        var afterReference = await server.GetSeriesAsync();
        Assert.Equal(ReferenceRows, afterReference.Bins("mlops_drift_bin_total", PixelMean).Sum());
        Assert.True(Psi(afterReference, start, PixelMean) < 0.1, $"PSI {Psi(afterReference, start, PixelMean)} for the reference rows");
        Assert.True(Psi(afterReference, start, DriftQuantity.PredictedClassName) < 0.1);

        // Unseen test images from the same distribution stay below the "moderate shift" line too.
        await SendAsync(server, Enumerable.Range(0, 1000).Select(i => data.Test.Sample(i).ToArray()));
        var afterTest = await server.GetSeriesAsync();
        var testPsi = Psi(afterTest, afterReference, PixelMean);
        Assert.True(testPsi < 0.1, $"PSI {testPsi} for unseen test images");

        // Inverted images (255 − x): the pixel mean moves far out of its reference deciles and the classes shift.
        await SendAsync(server, Enumerable.Range(0, 1000).Select(i => data.Test.Sample(i).ToArray().Select(p => 255f - p).ToArray()));
        var afterInverted = await server.GetSeriesAsync();
        var invertedPsi = Psi(afterInverted, afterTest, PixelMean);
        var classPsi = Psi(afterInverted, afterTest, DriftQuantity.PredictedClassName);
        output.WriteLine($"PSI pixel mean: reference rows {Psi(afterReference, start, PixelMean):F4}, unseen test rows {testPsi:F4}, inverted {invertedPsi:F2}; " +
            $"class: reference {Psi(afterReference, start, DriftQuantity.PredictedClassName):F4}, test {Psi(afterTest, afterReference, DriftQuantity.PredictedClassName):F4}, inverted {classPsi:F2}");
        Assert.True(invertedPsi > 4 * PopulationStabilityIndex.SignificantShift, $"PSI {invertedPsi} for inverted images");
        Assert.True(classPsi > PopulationStabilityIndex.SignificantShift, $"class PSI {classPsi} for inverted images");
    }

    [Fact]
    public async Task A_baseline_beside_the_model_is_found_without_being_named()
    {
        var data = await fixture.FashionMnist.Value;
        var directory = Path.GetDirectoryName(fixture.TempFile("beside/x"))!;
        Directory.CreateDirectory(directory);
        var model = TestModels.WriteClassifier(Path.Combine(directory, "model.onnx"), version: "7");
        await WriteBaselineAsync(data, Path.Combine(directory, DriftBaseline.FileName));
        await using var server = await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { ModelPath = model });
        Assert.Equal(10, (await server.GetSeriesAsync()).Bins("mlops_drift_baseline_ratio", PixelMean).Length);
    }

    [Fact]
    public void A_malformed_baseline_refuses_startup_naming_the_file_and_the_problem()
    {
        var path = fixture.TempFile("malformed-drift-baseline.json");
        File.WriteAllText(path, """{"schema":1,"model":"fashion-mnist","version":"7","reference_source":"test","reference_rows":10}""");
        var e = Assert.Throws<ServerStartupException>(() =>
            ServingServer.Create(TestServer.DefaultOptions(fixture) with { DriftBaselinePath = path }, fixture.Environment));
        Assert.Contains(path, e.Message);
        Assert.Contains("\"quantities\" is missing", e.Message);
        Assert.Contains("--drift-baseline", e.Message);
    }

    [Fact]
    public async Task A_baseline_for_inputs_the_model_does_not_have_is_refused()
    {
        var path = fixture.TempFile("other-model-drift-baseline.json");
        await DriftBaselineFile.WriteAsync(path, new DriftBaseline("penguins", "1", DriftBaseline.TestRows, 3, [],
            [DriftBaselineBuilder.InputMean("bill_length_mm", [40, 45, 50])]), CancellationToken.None);
        var e = Assert.Throws<ServerStartupException>(() =>
            ServingServer.Create(TestServer.DefaultOptions(fixture) with { DriftBaselinePath = path }, fixture.Environment));
        Assert.Contains(path, e.Message);
        Assert.Contains("input 'bill_length_mm', which the model does not have (inputs: input)", e.Message);
    }

    private static int[] ReferenceIndices(FashionMnistData data) => DriftBaselineBuilder.SampleRows(data.Train.Count, ReferenceRows, seed: 15);

    /// <summary>The baseline as Validate records it: training rows' pixel means, and the model's own predictions on them (ORT).</summary>
    private async Task<string> WriteBaselineAsync(FashionMnistData data, string path)
    {
        var indices = ReferenceIndices(data);
        var means = indices.Select(i => DriftBinning.RowMean(data.Train.Sample(i))).ToArray();
        var (_, labels) = fixture.Reference.Run(indices.SelectMany(i => data.Train.Sample(i).ToArray()).ToArray());
        var baseline = new DriftBaseline("fashion-mnist", "7", DriftBaseline.TrainingRows, indices.Length, [],
        [
            DriftBaselineBuilder.InputMean("input", means),
            DriftBaselineBuilder.PredictedClass(data.Train.ClassNames, labels.Select(l => data.Train.ClassNames[(int)l])),
        ]);
        await DriftBaselineFile.WriteAsync(path, baseline, CancellationToken.None);
        return path;
    }

    private static async Task SendAsync(TestServer server, IEnumerable<float[]> rows)
    {
        foreach (var batch in rows.Chunk(50))
            (await server.Client.PostAsync(server.InferPath, InferRequests.Binary(batch.SelectMany(r => r).ToArray()))).EnsureSuccessStatusCode();
    }

    /// <summary>PSI of the rows counted between two scrapes against the baseline ratios the server exports.</summary>
    private static double Psi(PrometheusSeries after, PrometheusSeries before, string quantity)
    {
        var counts = after.Bins("mlops_drift_bin_total", quantity).Zip(before.Bins("mlops_drift_bin_total", quantity), (a, b) => a - b).ToArray();
        return PopulationStabilityIndex.FromCounts(after.Bins("mlops_drift_baseline_ratio", quantity), counts);
    }
}
