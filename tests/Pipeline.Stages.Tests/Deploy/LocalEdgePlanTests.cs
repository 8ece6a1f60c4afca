using Pipeline.ReverseProxy;
using Pipeline.Stages;

namespace Pipeline.Stages.Tests;

/// <summary>The local deployment's edge plan, decided before any container starts: gRPC port clashes and TLS mismatches reported together.</summary>
public sealed class LocalEdgePlanTests
{
    // The plan never reads the model data: no data set is loaded for these checks.
    private static LocalDeployOptions Options(string model, int grpcPort = 8081, bool tls = false) =>
        new("mlops-" + model, 8080, "local", model, null!, "mlops/serving", "/tmp/out") { GrpcListenPort = grpcPort, Tls = tls };

    private static EdgeServer Server(string slot, int weight, int? grpcPort = EdgeServers.ContainerGrpcPort) =>
        new(slot, 8080, weight, $"c-{slot}", "v1") { Host = "172.17.0.5", GrpcPort = grpcPort };

    /// <summary>An edge on 8080 already serving fashion-mnist with its gRPC endpoint on 8081.</summary>
    private static EdgeDescription Running(string? pem = null) =>
        new(8080, [LocalEdgePlan.Route(Options("fashion-mnist"), [Server("blue", 256)])]) { TlsCertificateFile = pem };

    [Fact]
    public void A_second_model_on_the_same_gRPC_port_is_refused_with_a_free_port_to_pass_and_a_TLS_mismatch_in_the_same_report()
    {
        var problems = LocalEdgePlan.Problems(Options("penguins", tls: true), Running());

        Assert.Equal(2, problems.Count);
        Assert.Equal("the edge on 127.0.0.1:8080 already serves model 'fashion-mnist' on gRPC port 8081, and one gRPC port serves one model " +
            "(gRPC names the model inside the request body); give penguins its own with --local-grpc-port (e.g. --local-grpc-port 8082).", problems[0]);
        Assert.Equal("the edge on 127.0.0.1:8080 serves other models without TLS; turning it on would change their endpoints too: " +
            "leave out --local-tls, or use another --local-port.", problems[1]);
    }

    [Fact]
    public void The_same_model_keeps_its_port_another_model_with_its_own_port_fits_and_bad_ports_are_refused_before_any_edge_runs()
    {
        Assert.Empty(LocalEdgePlan.Problems(Options("fashion-mnist"), Running()));
        Assert.Empty(LocalEdgePlan.Problems(Options("penguins", grpcPort: 8082), Running()));
        Assert.Equal(["--local-grpc-port 8080 is also --local-port: REST and gRPC need ports of their own (e.g. --local-grpc-port 8081)."],
            LocalEdgePlan.Problems(Options("penguins", grpcPort: 8080), null));
        Assert.Equal(["--local-grpc-port 443 is not usable: choose an unprivileged TCP port, 1024-65535 (default 8081)."],
            LocalEdgePlan.Problems(Options("penguins", grpcPort: 443), null));
    }

    [Fact]
    public void The_route_has_a_gRPC_endpoint_only_when_every_server_has_a_gRPC_port_and_the_edge_keeps_the_other_models()
    {
        var options = Options("penguins", grpcPort: 8082) with { MaxBodyBytes = 1 << 20 };

        var both = LocalEdgePlan.Route(options, [Server("green", 256), Server("blue", 0)]);
        var mixed = LocalEdgePlan.Route(options, [Server("green", 256), Server("blue", 0, grpcPort: null)]);
        var edge = LocalEdgePlan.Edge(options, Running(), "/state/tls/edge.pem").WithRoute(both);

        Assert.Equal(8082, both.GrpcListenPort);
        Assert.Null(mixed.GrpcListenPort);
        Assert.Equal(["fashion-mnist", "penguins"], edge.Routes.Select(r => r.Model));
        Assert.Equal((1 << 20, "/state/tls/edge.pem"), (edge.MaxBodyBytes, edge.TlsCertificateFile));
        Assert.Empty(edge.Problems());
    }
}
