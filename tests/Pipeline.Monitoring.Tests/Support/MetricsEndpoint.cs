using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.Monitoring.Tests;

/// <summary>
/// A real Kestrel server on a loopback port whose /metrics grows with every scrape: per scrape 10 answered requests
/// and 1 failed one for model "kestrel" version "1", all taking between 10 and 100 ms, and 5 answered ones for version
/// "2", which never failed. Stands in for an edge.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _scrapes;

    private MetricsEndpoint(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public int Scrapes => Volatile.Read(ref _scrapes);

    public static async Task<MetricsEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new MetricsEndpoint(app);
        app.MapGet("/metrics", () => Results.Text(Render(Interlocked.Increment(ref endpoint._scrapes)), "text/plain; version=0.0.4"));
        await app.StartAsync();
        endpoint.Port = new Uri(app.Urls.Single()).Port;
        return endpoint;
    }

    private static string Render(int n) => string.Create(CultureInfo.InvariantCulture, $"""
        # TYPE test_edge_scrapes_total counter
        test_edge_scrapes_total {n}
        # TYPE mlops_inference_requests_total counter
        mlops_inference_requests_total{"{"}model="kestrel",version="1",code="200"{"}"} {10 * n}
        mlops_inference_requests_total{"{"}model="kestrel",version="1",code="500"{"}"} {n}
        mlops_inference_requests_total{"{"}model="kestrel",version="2",code="200"{"}"} {5 * n}
        # TYPE mlops_inference_request_duration_seconds histogram
        mlops_inference_request_duration_seconds_bucket{"{"}model="kestrel",version="1",le="0.01"{"}"} 0
        mlops_inference_request_duration_seconds_bucket{"{"}model="kestrel",version="1",le="0.1"{"}"} {11 * n}
        mlops_inference_request_duration_seconds_bucket{"{"}model="kestrel",version="1",le="+Inf"{"}"} {11 * n}
        mlops_inference_request_duration_seconds_sum{"{"}model="kestrel",version="1"{"}"} {0.05 * 11 * n}
        mlops_inference_request_duration_seconds_count{"{"}model="kestrel",version="1"{"}"} {11 * n}

        """);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
