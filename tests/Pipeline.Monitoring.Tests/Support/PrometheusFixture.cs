using System.Net;
using System.Net.Sockets;
using Pipeline.Docker;

namespace Pipeline.Monitoring.Tests;

[CollectionDefinition(Name)]
public sealed class PrometheusCollection : ICollectionFixture<PrometheusFixture>
{
    public const string Name = "Local Prometheus";
}

/// <summary>
/// One real Prometheus for the collection, started through <see cref="LocalPrometheus"/> on a free loopback port with
/// its state in a temporary directory: it scrapes a Kestrel <see cref="MetricsEndpoint"/> as the edge and finds the
/// <see cref="ServingContainerStandIn"/> through Docker, and loads the repository's alerts.yml. Stopped and removed on dispose.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory _state = new();

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];
    public string Repository { get; } = RepositoryRoot.Find();
    public string AlertsFile => Path.Combine(Repository, "serving", "monitoring", "alerts.yml");
    public DockerClient Docker { get; } = new(DockerEndpoint.FromEnvironment(Environment.GetEnvironmentVariable));
    public List<string> Log { get; } = [];

    public MetricsEndpoint Edge { get; private set; } = null!;
    public ServingContainerStandIn Serving { get; private set; } = null!;
    public LocalPrometheus Prometheus { get; private set; } = null!;
    public PrometheusDescription Description { get; private set; } = null!;
    public PrometheusChange FirstChange { get; private set; }
    public int FirstPid { get; private set; }

    public string StateRoot => _state.Path;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Edge = await MetricsEndpoint.StartAsync();
        Serving = await ServingContainerStandIn.StartAsync(Docker, RunId, timeout.Token);
        Description = new PrometheusDescription(FreePort(), [Edge.Port], [AlertsFile]);
        Prometheus = NewLocalPrometheus(Description.Port);
        FirstChange = await Prometheus.EnsureRunningAsync(Description, timeout.Token);
        FirstPid = Prometheus.RunningPid() ?? throw new InvalidOperationException("prometheus started but its pid file names no running prometheus");
    }

    public LocalPrometheus NewLocalPrometheus(int port) =>
        new(new ProcessRunner(), PrometheusLayout.For(StateRoot, port), line => { lock (Log) Log.Add(line); });

    public PrometheusClient Client(out HttpClient http) => LocalPrometheus.Client(Description.Port, out http);

    /// <summary>Waits until both the edge stand-in and the serving container stand-in have been scraped successfully.</summary>
    public Task<IReadOnlyList<PrometheusTarget>> WaitForBothTargetsAsync(CancellationToken cancellationToken) =>
        LocalPrometheus.WaitForTargetsAsync(Description, targets =>
            targets.Any(t => t.Job == "edge" && t.ScrapeUrl == $"http://127.0.0.1:{Edge.Port}/metrics" && t.IsUp) &&
            targets.Any(t => t.Job == "serving" && t.Labels.GetValueOrDefault("container") == Serving.Name && t.IsUp),
            TimeSpan.FromSeconds(60), cancellationToken);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            if (Prometheus is not null) await Prometheus.StopAsync(timeout.Token);
        }
        finally
        {
            if (Serving is not null) await Serving.DisposeAsync();
            if (Edge is not null) await Edge.DisposeAsync();
            Docker.Dispose();
            _state.Dispose();
        }
    }
}
