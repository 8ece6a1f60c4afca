using System.Text.Json;

namespace Pipeline.Docker.Tests;

public sealed class SmallPartsTests
{
    [Theory]
    [InlineData("1.41", "1.12", "1.41")] // Docker 20.10
    [InlineData("1.47", "1.24", "1.41")] // Docker 27: still accepts 1.41
    [InlineData("1.52", "1.44", "1.44")] // Docker 29: refuses anything older than 1.44
    [InlineData("1.40", "1.12", "1.40")] // Docker 19.03: speak its own version
    [InlineData(null, null, "1.41")]
    [InlineData("garbage", "1.x", "1.41")]
    public void Api_version_is_negotiated_like_the_cli(string? engine, string? minimum, string expected)
    {
        Assert.Equal(expected, ApiVersionNegotiation.Choose(engine, minimum));
    }

    [Fact]
    public void Registry_auth_header_is_padded_base64url_json_and_the_password_is_hidden_elsewhere()
    {
        // Chosen so that standard base64 would contain '+' or '/' and padding.
        var credentials = new RegistryCredentials("ci", "p?>>~~s", "registry.example.com:5000");

        var header = credentials.ToHeaderValue();

        Assert.DoesNotContain('+', header);
        Assert.DoesNotContain('/', header);
        Assert.Equal(0, header.Length % 4);
        var json = JsonDocument.Parse(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/'))).RootElement;
        Assert.Equal("ci", json.GetProperty("username").GetString());
        Assert.Equal("p?>>~~s", json.GetProperty("password").GetString());
        Assert.Equal("registry.example.com:5000", json.GetProperty("serveraddress").GetString());
        Assert.Equal("ci@registry.example.com:5000 (password hidden)", credentials.ToString());
        Assert.Equal("denied for *** (header ***)", credentials.Redact($"denied for p?>>~~s (header {header})"));
    }

    [Fact]
    public void Empty_credentials_are_refused_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => new RegistryCredentials("ci", "", "registry.example.com"));

        Assert.StartsWith("Registry credentials need a non-empty password", error.Message);
    }

    [Fact]
    public void Host_port_of_an_unpublished_port_says_what_is_published()
    {
        var details = new ContainerDetails(
            "id", "web", "sha256:1", "app:1",
            new ContainerState("running", true, 0, false, null, null, null, null),
            new Dictionary<string, string>(),
            [new PublishedPort(8080, "tcp", "127.0.0.1", 32768)],
            "172.17.0.2",
            false);

        Assert.Equal(32768, details.HostPort(8080));
        var error = Assert.Throws<InvalidOperationException>(() => details.HostPort(9090));
        Assert.Equal("Container web publishes no host port for 9090/tcp (published: 8080/tcp; state running: ports are assigned only while it runs)", error.Message);
    }

    [Fact]
    public void Resource_names_keep_registry_paths_and_escape_the_rest()
    {
        Assert.Equal("127.0.0.1:5000/team/model:1.0", ResourceName.ForPath("127.0.0.1:5000/team/model:1.0", "image"));
        Assert.Equal("app@sha256:ab", ResourceName.ForPath("app@sha256:ab", "image"));
        Assert.Equal("bad%20name%3F", ResourceName.ForPath("bad name?", "container"));
        Assert.Throws<ArgumentException>(() => ResourceName.ForPath(" ", "container"));
    }

    [Fact]
    public void Query_string_escapes_values_and_leaves_out_empty_ones()
    {
        var query = new QueryString("build")
            .Add("t", "app:1")
            .Add("pull", false)
            .Add("nocache", true)
            .Add("dockerfile", null)
            .AddJson("buildargs", new Dictionary<string, string> { ["A"] = "x y" })
            .AddJson("labels", new Dictionary<string, string>());

        Assert.Equal("build?t=app%3A1&nocache=1&buildargs=" + Uri.EscapeDataString("{\"A\":\"x y\"}"), query.ToString());
        Assert.Equal("x?a=1&b=2", new QueryString("x?a=1").Add("b", "2").ToString());
    }
}
