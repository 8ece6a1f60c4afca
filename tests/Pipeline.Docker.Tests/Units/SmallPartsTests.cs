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
    public void Registry_credentials_reach_the_library_whole_and_the_password_is_hidden_elsewhere()
    {
        var credentials = new RegistryCredentials("ci", "p?>>~~s", "registry.example.com:5000");

        var auth = credentials.ToAuthConfig();

        Assert.Equal(("ci", "p?>>~~s", "registry.example.com:5000"), (auth.Username, auth.Password, auth.ServerAddress));
        Assert.Equal("ci@registry.example.com:5000 (password hidden)", credentials.ToString());
        Assert.Equal("denied for *** (again ***)", credentials.Redact("denied for p?>>~~s (again p?>>~~s)"));
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
}
