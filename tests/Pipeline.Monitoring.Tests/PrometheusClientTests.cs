namespace Pipeline.Monitoring.Tests;

/// <summary><see cref="PrometheusClient"/> against the real Prometheus: values, labels, scalars and Prometheus's own errors.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusClientTests(PrometheusFixture fixture)
{
    [Fact]
    public async Task A_scalar_is_one_sample_without_labels_and_special_values_parse()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var client = fixture.Client(out var http);
        using (http)
        {
            Assert.Equal(3.5, Assert.Single(await client.QueryAsync("1 + 2.5", timeout.Token)).Value);
            Assert.Empty(Assert.Single(await client.QueryAsync("1 + 2.5", timeout.Token)).Labels);
            Assert.True(double.IsNaN(Assert.Single(await client.QueryAsync("0 / 0", timeout.Token)).Value));
            Assert.Equal(double.PositiveInfinity, Assert.Single(await client.QueryAsync("1 / 0", timeout.Token)).Value);
            Assert.Equal(double.NegativeInfinity, Assert.Single(await client.QueryAsync("-1 / 0", timeout.Token)).Value);
        }
    }

    [Fact]
    public async Task A_vector_keeps_every_label_of_each_series()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.WaitForBothTargetsAsync(timeout.Token);
        var client = fixture.Client(out var http);
        using (http)
        {
            var samples = await client.QueryAsync($"mlops_inference_requests_total{{job=\"edge\",instance=\"127.0.0.1:{fixture.Edge.Port}\",version=\"1\"}}", timeout.Token);

            Assert.Equal(["200", "500"], samples.Select(s => s.Label("code")).Order());
            Assert.All(samples, s => Assert.Equal(("mlops_inference_requests_total", "kestrel", "1"), (s.Label("__name__"), s.Label("model"), s.Label("version"))));
            var ok = samples.Single(s => s.Label("code") == "200").Value;
            Assert.True(ok >= 10 && ok % 10 == 0, $"the 200 counter grows by 10 per scrape; it read {ok}");
        }
    }

    [Fact]
    public async Task A_parse_error_is_a_PrometheusQueryException_with_prometheus_words()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var client = fixture.Client(out var http);
        using (http)
        {
            var refused = await Assert.ThrowsAsync<PrometheusQueryException>(() => client.QueryAsync("sum(rate(up[1m])", timeout.Token));

            Assert.Equal("bad_data", refused.ErrorType);
            Assert.Contains("parse error", refused.PrometheusError);
            Assert.Contains(refused.PrometheusError, refused.Message);
        }
    }

    [Fact]
    public async Task Nothing_listening_surfaces_as_an_HttpRequestException()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var client = LocalPrometheus.Client(PrometheusFixture.FreePort(), out var http);
        using (http)
            await Assert.ThrowsAsync<HttpRequestException>(() => client.QueryAsync("up", timeout.Token));
    }
}
