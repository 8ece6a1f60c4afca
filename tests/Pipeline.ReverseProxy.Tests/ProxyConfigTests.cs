using Pipeline.Processes;
using TestSupport;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>Rendering, refusal of bad descriptions and of configurations nginx itself refuses, with nothing changed.</summary>
public sealed class ProxyConfigTests
{
    [Fact]
    public void A_rendered_configuration_carries_its_description_and_the_required_directives()
    {
        using var state = new TemporaryDirectory();
        var description = new ProxyDescription(18080, "127.0.0.1", 32768, "serving-blue") { MaxBodyBytes = 4_194_304, KeepaliveConnections = 8 };

        var text = NginxConfigRenderer.Render(description, new NginxLayout(state.Path));

        Assert.Equal(description, NginxConfigRenderer.ReadDescription(text));
        Assert.Contains("listen 127.0.0.1:18080;", text);
        Assert.Contains("server 127.0.0.1:32768 max_fails=0;", text);
        Assert.Contains("keepalive 8;", text);
        Assert.Contains("client_max_body_size 4194304;", text);
        Assert.Contains("proxy_next_upstream off;", text);
        Assert.Contains("keepalive_timeout 0s;", text);
        Assert.Contains($"pid \"{state.File("nginx.pid")}\";", text);
        Assert.DoesNotContain("/etc/nginx", text);
    }

    [Theory]
    [InlineData(80, "127.0.0.1", 32768, "b", "privileged")]
    [InlineData(70000, "127.0.0.1", 32768, "b", "not a TCP port")]
    [InlineData(18080, "10.0.0.5", 32768, "b", "not a loopback IP address")]
    [InlineData(18080, "127.0.0.1", 0, "b", "upstream port 0")]
    [InlineData(18080, "127.0.0.1", 32768, "x; include /etc/passwd", "backend name")]
    public void A_bad_description_is_refused_naming_what_is_wrong(int listen, string host, int port, string backend, string expected)
    {
        using var state = new TemporaryDirectory();
        var error = Assert.Throws<ProxyConfigException>(() => NginxConfigRenderer.Render(new ProxyDescription(listen, host, port, backend), new NginxLayout(state.Path)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Nginx_t_refuses_a_broken_file_with_its_own_words()
    {
        using var state = new TemporaryDirectory();
        var proxy = new NginxProxy(new ProcessRunner(), new NginxLayout(state.Path), _ => { });
        var broken = state.File("broken.conf");
        await File.WriteAllTextAsync(broken, "events {}\nhttp { server { listen 127.0.0.1:18080; proxy_pas http://x; } }\n");

        var error = await Assert.ThrowsAsync<ProxyConfigException>(() => proxy.ValidateAsync(broken, CancellationToken.None));

        Assert.Contains("unknown directive \"proxy_pas\"", error.Message);
    }

    [Fact]
    public async Task A_rendered_configuration_passes_nginx_t()
    {
        using var state = new TemporaryDirectory();
        var layout = new NginxLayout(state.Path);
        var proxy = new NginxProxy(new ProcessRunner(), layout, _ => { });
        layout.Create();
        await File.WriteAllTextAsync(layout.ConfigFile, NginxConfigRenderer.Render(new ProxyDescription(TestUpstream.FreePort(), "127.0.0.1", 32768, "serving-blue"), layout));

        await proxy.ValidateAsync(layout.ConfigFile, CancellationToken.None);
    }
}
