namespace Pipeline.Prerequisites;

/// <summary>
/// Where the Docker engine API is: a Unix socket (the default, or DOCKER_HOST=unix://PATH) or plain
/// TCP (DOCKER_HOST=tcp://HOST:PORT). TLS and ssh:// endpoints are refused with a clear message.
/// </summary>
public sealed record DockerEndpoint(string DockerHost, string? UnixSocketPath, Uri BaseAddress)
{
    public const string DefaultSocketPath = "/var/run/docker.sock";
    public const string HostVariable = "DOCKER_HOST";

    public static DockerEndpoint Default { get; } = Unix(DefaultSocketPath);

    public bool IsUnixSocket => UnixSocketPath is not null;

    public static DockerEndpoint Unix(string socketPath) =>
        new("unix://" + socketPath, socketPath, UnixSocketHttpClientFactory.BaseAddress);

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
            && Uri.TryCreate("http://" + dockerHost["tcp://".Length..], UriKind.Absolute, out var address)
            && address.Port > 0)
        {
            return new DockerEndpoint(dockerHost, null, new Uri(address.GetLeftPart(UriPartial.Authority) + "/"));
        }

        throw Unsupported(dockerHost, "use unix:///path/to/docker.sock or tcp://host:port");
    }

    /// <summary>An HTTP client whose relative URLs (e.g. "_ping") reach this engine.</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout) =>
        UnixSocketPath is not null
            ? UnixSocketHttpClientFactory.Create(UnixSocketPath, timeout)
            : new HttpClient { BaseAddress = BaseAddress, Timeout = timeout };

    public override string ToString() => DockerHost;

    private static PrerequisiteException Unsupported(string dockerHost, string reason) =>
        new("Docker engine", $"{HostVariable}={dockerHost} is not supported: {reason}");
}
