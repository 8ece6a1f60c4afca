namespace Pipeline.Monitoring.Tests;

/// <summary>What ./build.sh Monitor reads, from the real Prometheus scraping the Kestrel endpoint whose counters grow per scrape.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class ServingOverviewTests(PrometheusFixture fixture)
{
    [Fact]
    public async Task Rate_error_ratio_and_p99_come_from_the_scraped_counters()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.WaitForBothTargetsAsync(timeout.Token);
        var client = fixture.Client(out var http);
        using (http)
        {
            // rate() needs two scrapes of the same series inside the window.
            ServingVersionStatus? kestrel = null;
            while (kestrel is null || double.IsNaN(kestrel.RequestsPerSecond))
            {
                await Task.Delay(500, timeout.Token);
                kestrel = (await new ServingOverview(client).ReadAsync(timeout.Token)).SingleOrDefault(s => (s.Model, s.Version) == ("kestrel", "1"));
            }

            // Per scrape 10 answered and 1 failed request: 1/11 of them are 5xx, whatever the scrape spacing.
            Assert.Equal(1.0 / 11, kestrel.ErrorRatio, 9);
            Assert.True(kestrel.RequestsPerSecond > 0, $"request rate {kestrel.RequestsPerSecond}");
            // Every request between 10 and 100 ms: p99 interpolates to 0.01 + 0.99 × 0.09 = 0.0991 s.
            Assert.Equal(0.0991, kestrel.P99Seconds, 9);
            Assert.Empty(kestrel.DriftPsi);
            // Version 2 never answered a 5xx: it has traffic and a ratio of 0, not a missing one.
            var clean = (await new ServingOverview(client).ReadAsync(timeout.Token)).Single(s => (s.Model, s.Version) == ("kestrel", "2"));
            Assert.True(clean.RequestsPerSecond > 0, $"request rate {clean.RequestsPerSecond}");
            Assert.Equal(0, clean.ErrorRatio);
            Assert.True(double.IsNaN(kestrel.MaxDriftPsi));
        }
    }
}
