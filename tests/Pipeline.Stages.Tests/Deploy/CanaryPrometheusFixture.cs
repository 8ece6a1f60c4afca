using System.Net;
using System.Net.Sockets;
using Pipeline.Monitoring;
using Pipeline.Processes;
using TestSupport;

namespace Pipeline.Stages.Tests;

/// <summary>
/// The real Prometheus the canary and A/B tests' analyses read: started through <see cref="LocalPrometheus"/> on a free
/// loopback port with its state in a temporary directory, finding the serving containers through their Docker labels
/// and scraping every second, as Deploy's own does. Stopped and removed on dispose.
/// </summary>
public sealed class CanaryPrometheusFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory _state = new();
    private HttpClient? _http;

    public LocalPrometheus Prometheus { get; private set; } = null!;
    public PrometheusClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var description = new PrometheusDescription(LoopbackPort.Free(), [], []);
        Prometheus = new LocalPrometheus(new ProcessRunner(), PrometheusLayout.For(_state.Path, description.Port), _ => { });
        await Prometheus.EnsureRunningAsync(description, CancellationToken.None);
        Client = LocalPrometheus.Client(description.Port, out var http);
        _http = http;
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await Prometheus.StopAsync(CancellationToken.None);
        _state.Dispose();
    }

}
