using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Pipeline.Monitoring;
using Pipeline.Processes;
using Pipeline.Stages;
using TestSupport;
using Training.Data;
using Xunit.Abstractions;

namespace Pipeline.Stages.Tests;

/// <summary>
/// Drift end to end: the serving image Containerize built (with the version's drift baseline beside the model) behind a
/// real Prometheus that loads the repository's alerts.yml. Ordinary test images keep the recorded drift score low;
/// inverted images raise it far past the threshold and the ModelInputDrift alert becomes pending.
/// </summary>
[Collection(PipelineRunCollection.Name)]
public sealed class DriftAlertTests(PipelineRunFixture run, ITestOutputHelper output)
{
    private const string PixelMean = "input:input:mean";

    [Fact]
    public async Task Inverted_images_raise_the_drift_score_Prometheus_records_and_the_drift_alert_goes_pending()
    {
        var image = await run.Container.ImageAsync();
        var version = run.Container.Release!.Version;
        using var state = new TemporaryDirectory();
        var description = new PrometheusDescription(LoopbackPort.Free(), [], [Path.Combine(RepositoryRoot.Find(), "serving", "monitoring", "alerts.yml")]);
        var prometheus = new LocalPrometheus(new ProcessRunner(), PrometheusLayout.For(state.Path, description.Port), run.Log.Add);
        await prometheus.EnsureRunningAsync(description, CancellationToken.None);
        var client = LocalPrometheus.Client(description.Port, out var promHttp);
        try
        {
            var name = $"drift-{Guid.NewGuid():N}"[..18];
            await using var container = await ServingContainer.StartAsync(run.Container.Docker, image.Reference, name, run.Log.Add, CancellationToken.None,
                labels: DeploymentLabels.For(name, DeploymentLabels.Blue, version));
            using var http = new HttpClient { BaseAddress = container.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await container.WaitUntilReadyAsync(new OpenInferenceClient(http, "fashion-mnist"), TimeSpan.FromSeconds(60), CancellationToken.None);
            var test = (await FashionMnist.LoadAsync(run.DataDirectory)).Test;
            var selector = $"model=\"fashion-mnist\",version=\"{version}\",quantity=\"{PixelMean}\"";

            // Rounds a few seconds apart: a series' first scrape is its starting point for increase().
            // 600 images: ten bins' sampling noise alone gives a PSI of about (10 − 1) / 600 = 0.015.
            for (var round = 0; round < 3; round++)
            {
                await SendAsync(http, test, first: round * 200, count: 200, invert: false);
                await Task.Delay(TimeSpan.FromSeconds(2.5));
            }
            var ordinary = await WaitForPsiAsync(client, selector, psi => psi is not null);
            output.WriteLine($"PSI of the pixel mean after 600 ordinary test images: {ordinary:F4}");
            Assert.True(ordinary < 0.1, $"ordinary test images scored {ordinary:F4}");

            for (var round = 0; round < 2; round++)
            {
                await SendAsync(http, test, first: 600 + round * 200, count: 200, invert: true);
                await Task.Delay(TimeSpan.FromSeconds(2.5));
            }
            var shifted = await WaitForPsiAsync(client, selector, psi => psi > 0.25);
            output.WriteLine($"PSI of the pixel mean after 400 inverted images more: {shifted:F4}");
            var alert = await WaitAsync(async () => await client.QueryAsync($"ALERTS{{alertname=\"ModelInputDrift\",{selector}}}", CancellationToken.None),
                samples => samples.Count > 0, "the ModelInputDrift alert");
            Assert.Equal("pending", alert[0].Labels["alertstate"]);
        }
        finally
        {
            promHttp.Dispose();
            await prometheus.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>One infer request of <paramref name="count"/> test images from <paramref name="first"/>, each pixel inverted (1 − x) when asked.</summary>
    private static async Task SendAsync(HttpClient http, DataSet test, int first, int count, bool invert)
    {
        for (var start = first; start < first + count; start += 50)
        {
            var rows = new float[50 * test.FeatureCount];
            for (var r = 0; r < 50; r++) test.Sample(start + r).CopyTo(rows.AsSpan(r * test.FeatureCount));
            if (invert) for (var i = 0; i < rows.Length; i++) rows[i] = 1 - rows[i];
            using var content = new ByteArrayContent(OpenInferenceJson.InferRequest(rows, test.FeatureCount));
            using var response = await http.PostAsync("/v2/models/fashion-mnist/infer", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<double?> WaitForPsiAsync(PrometheusClient client, string selector, Func<double?, bool> until) =>
        (await WaitAsync(async () => await client.QueryAsync($"mlops:drift_psi{{{selector}}}", CancellationToken.None),
            samples => until(samples.Count > 0 ? samples[0].Value : null), "mlops:drift_psi")) is [var sample, ..] ? sample.Value : null;

    private static async Task<IReadOnlyList<PrometheusSample>> WaitAsync(Func<Task<IReadOnlyList<PrometheusSample>>> query,
        Func<IReadOnlyList<PrometheusSample>, bool> until, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<PrometheusSample> last;
        while (!until(last = await query()))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what} did not reach the expected value within 30 s; last: " +
                    string.Join(", ", last.Select(s => s.Value.ToString(CultureInfo.InvariantCulture))));
            await Task.Delay(500);
        }
        return last;
    }

}
