using Pipeline.Docker;
using Pipeline.Docker.Tests;

namespace Pipeline.Monitoring.Tests;

/// <summary>
/// A real container carrying a serving container's Docker labels (io.mlops.role=serving, deployment, color) with
/// port 8080 published on loopback: busybox httpd serving a fixed /metrics. The cheapest real thing Docker SD can find;
/// the base image is imported from the static busybox, since nothing can be pulled.
/// </summary>
public sealed class ServingContainerStandIn : IAsyncDisposable
{
    public const string Metrics = """
        # TYPE mlops_inference_requests_total counter
        mlops_inference_requests_total{model="busy",version="7",code="200"} 42
        # TYPE process_start_time_seconds gauge
        process_start_time_seconds 1700000000

        """;

    private readonly DockerClient _docker;

    private ServingContainerStandIn(DockerClient docker, string image, string id, string name, string deployment, int hostPort)
    {
        _docker = docker;
        Image = image;
        Id = id;
        Name = name;
        Deployment = deployment;
        HostPort = hostPort;
    }

    public string Image { get; }
    public string Id { get; }
    public string Name { get; }
    public string Deployment { get; }
    public int HostPort { get; }

    public static async Task<ServingContainerStandIn> StartAsync(DockerClient docker, string runId, CancellationToken cancellationToken)
    {
        var busybox = BusyboxRootfs.FindBusybox();
        await using var rootfs = await BusyboxRootfs.CreateAsync(busybox, cancellationToken);
        var image = $"mlops-test/monitoring-busybox:run-{runId}";
        await docker.ImportImageAsync(rootfs, "mlops-test/monitoring-busybox", $"run-{runId}", ["ENV PATH=/bin"], cancellationToken);
        var name = $"mlops-test-monitoring-{runId}";
        var deployment = $"mlops-test-monitoring-{runId}";
        var script = $"mkdir -p /www && cat > /www/metrics <<'EOF'\n{Metrics}EOF\nexec httpd -f -p 8080 -h /www";
        var created = await docker.CreateContainerAsync(new ContainerSpec(image)
        {
            Name = name,
            Command = ["sh", "-c", script],
            Ports = [new PortMapping(8080)],
            Labels = new Dictionary<string, string>
            {
                ["io.mlops.role"] = "serving",
                ["io.mlops.deployment"] = deployment,
                ["io.mlops.color"] = "blue",
                ["io.mlops.model.version"] = "7",
            },
        }, cancellationToken);
        await docker.StartContainerAsync(created.Id, cancellationToken);
        var details = await docker.InspectContainerAsync(created.Id, cancellationToken);
        var port = details.HostPort(8080);
        return new ServingContainerStandIn(docker, image, created.Id, name, deployment, port);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _docker.RemoveContainerAsync(Id, force: true, timeout.Token);
        await _docker.RemoveImageAsync(Image, force: true, timeout.Token);
    }
}
