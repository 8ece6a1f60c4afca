using Pipeline.Processes;
using TestSupport;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>Rendering, refusal of bad descriptions (every problem at once) and of configurations haproxy itself refuses.</summary>
public sealed class EdgeConfigTests
{
    private static EdgeServer Server(string slot, int port, int weight) => new(slot, port, weight, $"c-{slot}", "1.0.0");

    private static EdgeDescription TwoModels(int port) => new(port,
    [
        new EdgeRoute("fashion-mnist", [Server("blue", 32768, 230), Server("green", 32769, 26)]),
        new EdgeRoute("penguins", [Server("green", 32770, 256)]),
    ]) { MaxBodyBytes = 4_194_304, ReadTimeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public void A_rendered_configuration_routes_each_model_to_its_backend_with_both_slots_and_the_required_directives()
    {
        using var state = new TemporaryDirectory();
        var text = HaproxyConfigRenderer.Render(TwoModels(18080), new EdgeLayout(state.Path));

        Assert.Contains("bind 127.0.0.1:18080", text);
        Assert.Contains("use_backend model_fashion-mnist if { path /v2/models/fashion-mnist } || { path_beg /v2/models/fashion-mnist/ }", text);
        Assert.Contains("use_backend model_penguins if { path /v2/models/penguins } || { path_beg /v2/models/penguins/ }", text);
        Assert.Contains("default_backend model_fashion-mnist", text);
        Assert.Contains("server blue 127.0.0.1:32768 weight 230", text);
        Assert.Contains("server green 127.0.0.1:32769 weight 26", text);
        // penguins uses green only: blue waits in maintenance at the placeholder.
        Assert.Contains("backend model_penguins\n    balance roundrobin\n    server blue 127.0.0.1:1 weight 0 disabled\n    server green 127.0.0.1:32770 weight 256", text);
        Assert.Contains("retries 0", text);
        Assert.Contains("no option redispatch", text);
        Assert.Contains("option idle-close-on-response", text);
        Assert.Contains("option http-keep-alive", text);
        Assert.DoesNotContain("http-server-close", text);
        Assert.Contains("timeout server 30s", text);
        Assert.Contains("req.hdr_val(content-length) gt 4194304", text);
        Assert.Contains("http-request use-service prometheus-exporter if { path /metrics }", text);
        Assert.Contains($"stats socket \"{state.File("admin.sock")}\" mode 600 level admin expose-fd listeners", text);
        Assert.Contains($"errorfile 413 \"{Path.Combine(state.Path, "errors", "413.http")}\"", text);
        Assert.DoesNotContain("/etc/haproxy", text);
    }

    [Fact]
    public void A_bad_description_is_refused_with_every_problem_listed_at_once()
    {
        using var state = new TemporaryDirectory();
        var bad = new EdgeDescription(80,
        [
            new EdgeRoute("fashion mnist; x", [Server("blue", 0, 300), Server("blue", 32768, 0), Server("red", 32769, 1)]),
            new EdgeRoute("penguins", [Server("green", 32770, 0)]),
            new EdgeRoute("penguins", [Server("green", 32771, 1)]),
            new EdgeRoute("iris", [Server("blue", 8080, 1) with { Host = "8.8.8.8" }]),
        ]) { MaxBodyBytes = 0, ReadTimeout = TimeSpan.Zero };

        var error = Assert.Throws<EdgeConfigException>(() => HaproxyConfigRenderer.Render(bad, new EdgeLayout(state.Path)));

        foreach (var expected in new[]
        {
            "listen port 80 is privileged", "max body size 0", "read timeout", "model 'penguins' has 2 routes",
            "model name 'fashion mnist; x' must be", "has 3 servers; a route has at most two", "uses slot 'blue' 2 times",
            "server 'red': the slot must be one of blue, green", "port 0 is not a TCP port", "weight 300 is outside 0-256",
            "model 'penguins' has no server with weight > 0", "host '8.8.8.8' is not a loopback or private IPv4 address",
        })
            Assert.Contains(expected, error.Message);
        Assert.StartsWith("The edge description is not usable (12 problems)", error.Message);
        Assert.Empty(Directory.GetFiles(state.Path));
    }

    [Fact]
    public void Descriptions_compare_by_content_and_WithRoute_replaces_or_appends()
    {
        var description = TwoModels(18080);
        var again = TwoModels(18080);
        var canary = new EdgeRoute("fashion-mnist", [Server("blue", 32768, 128), Server("green", 32769, 128)]);

        Assert.Equal(description, again);
        Assert.NotEqual(description, description.WithRoute(canary));
        // The same servers listed in another order route the same: no change to apply.
        Assert.Equal(description.WithRoute(canary), description.WithRoute(canary with { Servers = [.. canary.Servers.Reverse()] }));
        // A container's network address is part of where a slot points.
        Assert.NotEqual(description.WithRoute(canary),
            description.WithRoute(canary with { Servers = [canary.Servers[0] with { Host = "172.17.0.9" }, canary.Servers[1]] }));
        Assert.True(description.HasSameShapeAs(description.WithRoute(canary)));
        Assert.Equal(128, description.WithRoute(canary).Route("fashion-mnist")!.Server("green")!.Weight);
        var added = description.WithRoute(new EdgeRoute("iris", [Server("blue", 32771, 256)]));
        Assert.Equal(["fashion-mnist", "penguins", "iris"], added.Routes.Select(r => r.Model));
        Assert.False(description.HasSameShapeAs(added));
        Assert.False(description.HasSameShapeAs(description with { MaxBodyBytes = 1024 }));
    }

    [Fact]
    public async Task Haproxy_c_refuses_a_broken_file_with_its_own_words()
    {
        using var state = new TemporaryDirectory();
        var edge = new HaproxyEdge(new ProcessRunner(), new EdgeLayout(state.Path), _ => { });
        var broken = state.File("broken.cfg");
        await File.WriteAllTextAsync(broken, "defaults\n    mode http\nfrontend f\n    bind 127.0.0.1:18080\n    use_backendd x\n");

        var error = await Assert.ThrowsAsync<EdgeConfigException>(() => edge.ValidateAsync(broken, CancellationToken.None));

        Assert.Contains("unknown keyword 'use_backendd'", error.Message);
        Assert.Contains("broken.cfg:5]", error.Message);
    }

    [Fact]
    public async Task A_rendered_configuration_passes_haproxy_c()
    {
        using var state = new TemporaryDirectory();
        var layout = new EdgeLayout(state.Path);
        layout.Create();
        var description = TwoModels(TestUpstream.FreePort());
        await EdgeErrorPages.WriteAsync(layout, description, CancellationToken.None);
        await File.WriteAllTextAsync(layout.ConfigFile, HaproxyConfigRenderer.Render(description, layout));

        await new HaproxyEdge(new ProcessRunner(), layout, _ => { }).ValidateAsync(layout.ConfigFile, CancellationToken.None);
    }

    private static EdgeDescription WithGrpc(int port, string? pem = null) => new(port,
    [
        new EdgeRoute("fashion-mnist", [Server("blue", 32768, 230) with { GrpcPort = 32778 }, Server("green", 32769, 26) with { GrpcPort = 32779 }])
        {
            GrpcListenPort = port + 1,
        },
        new EdgeRoute("penguins", [Server("green", 32770, 256)]),
    ]) { TlsCertificateFile = pem };

    [Fact]
    public void A_grpc_route_renders_an_h2_frontend_and_backend_over_the_same_slots_and_weights_with_grpc_error_pages()
    {
        using var state = new TemporaryDirectory();
        var text = HaproxyConfigRenderer.Render(WithGrpc(18080), new EdgeLayout(state.Path));

        Assert.Contains("frontend grpc_fashion-mnist\n    bind 127.0.0.1:18081 proto h2\n    errorfiles grpc_errors\n", text);
        Assert.Contains("default_backend grpc_fashion-mnist", text);
        Assert.Contains("backend grpc_fashion-mnist\n    errorfiles grpc_errors\n    balance roundrobin\n" +
            "    server blue 127.0.0.1:32778 weight 230 proto h2\n    server green 127.0.0.1:32779 weight 26 proto h2", text);
        Assert.Contains($"http-errors grpc_errors\n    errorfile 400 \"{Path.Combine(state.Path, "errors", "grpc-400.http")}\"", text);
        Assert.Contains("option http-buffer-request", text);
        // A model without a gRPC port has no gRPC frontend; REST routing is as before.
        Assert.DoesNotContain("grpc_penguins", text);
        Assert.Contains("bind 127.0.0.1:18080\n", text);
        Assert.DoesNotContain("ssl", text);
        Assert.DoesNotContain("set-uri", text);
    }

    [Fact]
    public void With_TLS_both_frontends_bind_ssl_and_the_grpc_one_offers_h2_by_ALPN()
    {
        using var state = new TemporaryDirectory();
        var pem = state.File("tls/edge.pem");
        var text = HaproxyConfigRenderer.Render(WithGrpc(18080, pem), new EdgeLayout(state.Path));

        Assert.Contains($"bind 127.0.0.1:18080 ssl crt \"{pem}\"\n", text);
        Assert.Contains($"bind 127.0.0.1:18081 ssl crt \"{pem}\" alpn h2 proto h2\n", text);
        Assert.Contains("    http-request set-uri http://%[req.hdr(host)]%[pathq]\n    server blue 127.0.0.1:32778 weight 230 proto h2", text);
        Assert.Equal(new Uri("https://127.0.0.1:18080"), WithGrpc(18080, pem).Endpoint);
    }

    [Fact]
    public void Grpc_ports_and_TLS_problems_are_listed_with_the_others_and_say_which_option_fixes_them()
    {
        var shared = new EdgeDescription(18080,
        [
            new EdgeRoute("a", [Server("blue", 32768, 256) with { GrpcPort = 32778 }]) { GrpcListenPort = 18081 },
            new EdgeRoute("b", [Server("blue", 32769, 256) with { GrpcPort = 32779 }]) { GrpcListenPort = 18081 },
            new EdgeRoute("c", [Server("blue", 32770, 256)]) { GrpcListenPort = 18080 },
            new EdgeRoute("d", [Server("blue", 32771, 256) with { GrpcPort = 70000 }]) { GrpcListenPort = 80 },
        ]) { TlsCertificateFile = "edge.pem" };

        var problems = shared.Problems();

        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("models 'a' and 'b' share the gRPC port 18081", StringComparison.Ordinal) &&
            p.Contains("one gRPC port serves one model") && p.Contains("--local-grpc-port"));
        Assert.Contains("model 'c': gRPC port 18080 is the REST endpoint's port; give gRPC its own with --local-grpc-port (e.g. --local-grpc-port 18081).", problems);
        Assert.Contains(problems, p => p.StartsWith("model 'c' server 'blue': the route has a gRPC endpoint but the server has no gRPC port", StringComparison.Ordinal));
        Assert.Contains("model 'd': gRPC port 80 is not an unprivileged TCP port; use 1024-65535 (e.g. --local-grpc-port 8081).", problems);
        Assert.Contains(problems, p => p.StartsWith("model 'd' server 'blue': gRPC port 70000 is not a TCP port", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TLS certificate file 'edge.pem' must be an absolute path", StringComparison.Ordinal));
    }

    [Fact]
    public void A_grpc_port_or_TLS_change_needs_a_reload_while_weights_and_grpc_server_ports_change_at_run_time()
    {
        var description = WithGrpc(18080);
        var route = description.Route("fashion-mnist")!;

        Assert.True(description.HasSameShapeAs(description.WithRoute(route with { Servers = [route.Servers[0] with { Weight = 0, GrpcPort = 32790 }, route.Servers[1]] })));
        Assert.NotEqual(description, description.WithRoute(route with { Servers = [route.Servers[0] with { GrpcPort = 32790 }, route.Servers[1]] }));
        Assert.False(description.HasSameShapeAs(description.WithRoute(route with { GrpcListenPort = 18082 })));
        Assert.False(description.HasSameShapeAs(description.WithRoute(route with { GrpcListenPort = null })));
        Assert.NotEqual(description, description.WithRoute(route with { GrpcListenPort = 18082 }));
        Assert.False(description.HasSameShapeAs(description with { TlsCertificateFile = "/state/tls/edge.pem" }));
    }

    [Fact]
    public async Task A_rendered_configuration_with_grpc_and_TLS_passes_haproxy_c()
    {
        using var state = new TemporaryDirectory();
        var layout = new EdgeLayout(state.Path);
        layout.Create();
        var pem = await EdgeCertificate.EnsureAsync(layout, TimeProvider.System, CancellationToken.None);
        var description = WithGrpc(TestUpstream.FreePort(), pem);
        await EdgeErrorPages.WriteAsync(layout, description, CancellationToken.None);
        await File.WriteAllTextAsync(layout.ConfigFile, HaproxyConfigRenderer.Render(description, layout));

        await new HaproxyEdge(new ProcessRunner(), layout, _ => { }).ValidateAsync(layout.ConfigFile, CancellationToken.None);
    }
}
