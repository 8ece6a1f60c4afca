using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>
/// How the edge reaches a serving container: at its address on the Docker network when it has one (no docker-proxy
/// hop), REST and gRPC, else at its published loopback port, REST only (the gRPC port is not published).
/// </summary>
public static class EdgeServers
{
    /// <summary>The port the server answers gRPC on inside its container (the server's --grpc-port default; the image EXPOSEs it).</summary>
    public const int ContainerGrpcPort = 8081;

    public static EdgeServer For(ServingContainer container, string slot, int weight, string version) => container.NetworkAddress is { Length: > 0 } address
        ? new EdgeServer(slot, ServingContainer.ContainerPort, weight, container.Name, version) { Host = address, GrpcPort = ContainerGrpcPort }
        : new EdgeServer(slot, container.BaseAddress.Port, weight, container.Name, version);
}
