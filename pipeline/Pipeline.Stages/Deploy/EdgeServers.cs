using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>How the edge reaches a serving container: at its address on the Docker network when it has one (no docker-proxy hop), else at its published loopback port.</summary>
public static class EdgeServers
{
    public static EdgeServer For(ServingContainer container, string slot, int weight, string version) => container.NetworkAddress is { Length: > 0 } address
        ? new EdgeServer(slot, ServingContainer.ContainerPort, weight, container.Name, version) { Host = address }
        : new EdgeServer(slot, container.BaseAddress.Port, weight, container.Name, version);
}
