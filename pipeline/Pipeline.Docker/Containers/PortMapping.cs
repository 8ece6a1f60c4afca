namespace Pipeline.Docker;

/// <summary>
/// Publishes <paramref name="ContainerPort"/> on <paramref name="HostIp"/>:<paramref name="HostPort"/>. HostPort 0 asks
/// the engine for a free port (read it back from <see cref="ContainerDetails.HostPort"/>). The default host IP is
/// loopback: publishing on all interfaces is a choice to make explicitly.
/// </summary>
public sealed record PortMapping(int ContainerPort, int HostPort = 0, string HostIp = "127.0.0.1", string Protocol = "tcp")
{
    internal string Key => $"{ContainerPort}/{Protocol}";
}
