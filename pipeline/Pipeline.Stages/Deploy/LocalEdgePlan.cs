using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>
/// What a local deployment asks of the edge, decided without touching Docker or haproxy: every reason the edge could
/// not take it (reported together), and the model's route with its REST and gRPC endpoints.
/// </summary>
public static class LocalEdgePlan
{
    /// <summary>Every problem with deploying <paramref name="options"/> onto the edge that runs <paramref name="running"/> (null: none runs), each saying how to fix it.</summary>
    public static IReadOnlyList<string> Problems(LocalDeployOptions options, EdgeDescription? running)
    {
        var problems = new List<string>();
        var grpc = options.GrpcListenPort;
        if (grpc is < 1024 or > 65535)
            problems.Add($"--local-grpc-port {grpc} is not usable: choose an unprivileged TCP port, 1024-65535 (default 8081).");
        else if (grpc == options.ListenPort)
            problems.Add($"--local-grpc-port {grpc} is also --local-port: REST and gRPC need ports of their own (e.g. --local-grpc-port {options.ListenPort + 1}).");
        if (running is null) return problems;

        // One gRPC port serves one model: the model name travels inside the protobuf body, where the edge cannot route by it.
        var taken = running.Routes.Where(r => r.Model != options.ModelName && r.GrpcListenPort is not null).ToList();
        if (taken.FirstOrDefault(r => r.GrpcListenPort == grpc) is { } clash)
        {
            var free = Enumerable.Range(grpc + 1, 100).First(p => p != options.ListenPort && taken.All(r => r.GrpcListenPort != p));
            problems.Add($"the edge on 127.0.0.1:{options.ListenPort} already serves model '{clash.Model}' on gRPC port {grpc}, and one gRPC port serves " +
                $"one model (gRPC names the model inside the request body); give {options.ModelName} its own with --local-grpc-port (e.g. --local-grpc-port {free}).");
        }
        if (running.TlsCertificateFile is not null != options.Tls && running.Routes.Any(r => r.Model != options.ModelName))
            problems.Add($"the edge on 127.0.0.1:{options.ListenPort} serves other models {(options.Tls ? "without" : "with")} TLS; turning it " +
                $"{(options.Tls ? "on" : "off")} would change their endpoints too: {(options.Tls ? "leave out" : "pass")} --local-tls, or use another --local-port.");
        return problems;
    }

    /// <summary>
    /// The model's route with <paramref name="servers"/>: the gRPC endpoint is on when every server has a gRPC port (a
    /// server deployed before the edge knew gRPC has none; the next deploy adds it).
    /// </summary>
    public static EdgeRoute Route(LocalDeployOptions options, IReadOnlyList<EdgeServer> servers) =>
        new(options.ModelName, servers) { GrpcListenPort = servers.All(s => s.GrpcPort is not null) ? options.GrpcListenPort : null };

    /// <summary>The edge as <paramref name="running"/> (or a new one) with this deployment's limits and TLS (<paramref name="tlsPemFile"/>, null for none).</summary>
    public static EdgeDescription Edge(LocalDeployOptions options, EdgeDescription? running, string? tlsPemFile) =>
        (running ?? new EdgeDescription(options.ListenPort, [])) with { MaxBodyBytes = options.MaxBodyBytes, TlsCertificateFile = tlsPemFile };
}
