namespace Pipeline.Docker;

/// <summary>
/// Where the Docker engine API is: a Unix socket (the default, or DOCKER_HOST=unix://PATH) or plain
/// TCP (DOCKER_HOST=tcp://HOST:PORT). TLS and ssh:// endpoints are refused with a clear message.
/// </summary>
public sealed record DockerEndpoint(string DockerHost, string? UnixSocketPath)
{
    public const string DefaultSocketPath = "/var/run/docker.sock";
    public const string HostVariable = "DOCKER_HOST";

    public static DockerEndpoint Default { get; } = Unix(DefaultSocketPath);

    public bool IsUnixSocket => UnixSocketPath is not null;

    /// <summary>The endpoint as Docker.DotNet takes it ("unix:///var/run/docker.sock", "tcp://host:2375"); its scheme picks the transport.</summary>
    public Uri Address => new(DockerHost);

    public static DockerEndpoint Unix(string socketPath) => new("unix://" + socketPath, socketPath);

    /// <summary>DOCKER_HOST when set, else the default socket.</summary>
    public static DockerEndpoint FromEnvironment(Func<string, string?> environment)
    {
        var dockerHost = environment(HostVariable);
        if (string.IsNullOrEmpty(dockerHost))
        {
            return Default;
        }

        if (!string.IsNullOrEmpty(environment("DOCKER_TLS_VERIFY")) && dockerHost.StartsWith("tcp://", StringComparison.Ordinal))
        {
            throw Unsupported(dockerHost, "TLS (DOCKER_TLS_VERIFY) is not supported");
        }

        return Parse(dockerHost);
    }

    public static DockerEndpoint Parse(string dockerHost)
    {
        ArgumentException.ThrowIfNullOrEmpty(dockerHost);
        if (dockerHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = dockerHost["unix://".Length..];
            return path.StartsWith('/') ? Unix(path) : throw Unsupported(dockerHost, "the socket path must be absolute");
        }

        if (dockerHost.StartsWith("tcp://", StringComparison.Ordinal)
            && Uri.TryCreate(dockerHost, UriKind.Absolute, out var address)
            && address.Port > 0)
        {
            return new DockerEndpoint($"tcp://{address.Authority}", null);
        }

        throw Unsupported(dockerHost, "use unix:///path/to/docker.sock or tcp://host:port");
    }

    public override string ToString() => DockerHost;

    private static DockerException Unsupported(string dockerHost, string reason) =>
        new($"{HostVariable}={dockerHost} is not supported: {reason}");
}
