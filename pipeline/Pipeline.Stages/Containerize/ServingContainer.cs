using Pipeline.Docker;

namespace Pipeline.Stages;

/// <summary>
/// A serving container run the way production runs it: non-root, read-only root file system with a small tmpfs
/// for /tmp, every capability dropped, no privilege escalation, a memory limit, the REST and gRPC ports published on loopback only.
/// Disposing removes it.
/// </summary>
public sealed class ServingContainer : IAsyncDisposable
{
    public const int ContainerPort = 8080;

    /// <summary>The Open Inference Protocol's gRPC port inside the container (SERVING_GRPC_PORT in the Dockerfile).</summary>
    public const int GrpcContainerPort = 8081;
    public const long MemoryLimitBytes = 512L * 1024 * 1024;

    private readonly DockerClient _docker;
    private readonly Action<string> _log;

    private ServingContainer(DockerClient docker, string id, string name, Uri baseAddress, Uri grpcAddress, string? networkAddress, Action<string> log)
    {
        _docker = docker;
        Id = id;
        Name = name;
        BaseAddress = baseAddress;
        GrpcAddress = grpcAddress;
        NetworkAddress = networkAddress;
        _log = log;
    }

    public string Id { get; }
    public string Name { get; }

    /// <summary>The published port on loopback: for clients on this machine.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The published gRPC port on loopback (h2c): for gRPC clients on this machine.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The container's own address on its Docker network (port <see cref="ContainerPort"/>), when it has one: the edge connects there, past docker-proxy.</summary>
    public string? NetworkAddress { get; }

    /// <param name="keys">The API key file mounted read-only and named by SERVING_API_KEYS_FILE; null starts the server without authentication.</param>
    public static ContainerSpec Hardened(string image, string name, int hostPort, IReadOnlyDictionary<string, string>? labels = null,
        ServingKeyMount? keys = null) => new(image)
    {
        Name = name,
        Ports = [new PortMapping(ContainerPort, hostPort), new PortMapping(GrpcContainerPort)],
        ReadOnlyRootFilesystem = true,
        TmpfsMounts = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=16m" },
        MemoryLimitBytes = MemoryLimitBytes,
        DropAllCapabilities = true,
        NoNewPrivileges = true,
        Labels = labels ?? new Dictionary<string, string> { ["io.mlops.role"] = "smoke-test" },
        // The path of the key file only: Env and Cmd show up in docker inspect and ps, a mounted file does not.
        Environment = keys?.Environment ?? new Dictionary<string, string>(),
        ReadOnlyBindMounts = keys?.BindMounts ?? new Dictionary<string, string>(),
    };

    public static async Task<ServingContainer> StartAsync(DockerClient docker, string image, string name, Action<string> log,
        CancellationToken cancellationToken, int hostPort = 0, IReadOnlyDictionary<string, string>? labels = null, ServingKeyMount? keys = null)
    {
        var created = await docker.CreateContainerAsync(Hardened(image, name, hostPort, labels, keys), cancellationToken);
        try
        {
            await docker.StartContainerAsync(created.Id, cancellationToken);
            var details = await docker.InspectContainerAsync(created.Id, cancellationToken);
            // A server that refuses to start can exit before this inspect; it then has no port to report, and its
            // own log says why, so fail the way WaitUntilReadyAsync does rather than with "no host port".
            if (!details.State.Running)
                throw new ServingContainerExitedException(
                    $"{name} exited with {details.State.ExitCode} before it was ready. Logs:\n{(await docker.GetLogsAsync(created.Id, 40, cancellationToken)).Combined}");
            var address = new Uri($"http://127.0.0.1:{details.HostPort(ContainerPort)}");
            var grpcAddress = new Uri($"http://127.0.0.1:{details.HostPort(GrpcContainerPort)}");
            log($"started {name} from {image} on {address} (gRPC {grpcAddress})");
            return new ServingContainer(docker, created.Id, name, address, grpcAddress, details.IpAddress, log);
        }
        catch
        {
            await docker.RemoveContainerAsync(created.Id, force: true, CancellationToken.None);
            throw;
        }
    }

    public async Task WaitUntilReadyAsync(OpenInferenceClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await client.IsReadyAsync(cancellationToken))
        {
            var state = (await _docker.InspectContainerAsync(Id, cancellationToken)).State;
            if (!state.Running)
                throw new ServingContainerExitedException($"{Name} exited with {state.ExitCode} before it was ready. Logs:\n{await LogTailAsync(cancellationToken)}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:F0} s. Logs:\n{await LogTailAsync(cancellationToken)}");
            await Task.Delay(100, cancellationToken);
        }
    }

    public async Task<long> MemoryWorkingSetAsync(CancellationToken cancellationToken) =>
        (await _docker.StatsAsync(Id, sampleCpu: false, cancellationToken)).MemoryWorkingSetBytes;

    public async Task<string> LogTailAsync(CancellationToken cancellationToken) =>
        (await _docker.GetLogsAsync(Id, 40, cancellationToken)).Combined;

    /// <summary>SIGTERM, then the server's own drain; returns the exit code.</summary>
    public async Task<long> StopAsync(CancellationToken cancellationToken)
    {
        await _docker.StopContainerAsync(Id, TimeSpan.FromSeconds(30), cancellationToken);
        return (await _docker.InspectContainerAsync(Id, cancellationToken)).State.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _docker.RemoveContainerAsync(Id, force: true, CancellationToken.None);
        }
        catch (DockerException e) when (e.IsNotFound)
        {
        }
        _log($"removed {Name}");
    }
}

/// <summary>The serving container stopped before it answered readiness; the message carries its last log lines.</summary>
public sealed class ServingContainerExitedException(string message) : InvalidOperationException(message);
