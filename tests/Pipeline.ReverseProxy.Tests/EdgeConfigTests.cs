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
}
