namespace Pipeline.Docker.Tests;

public sealed class DockerEndpointTests
{
    [Fact]
    public void Unset_or_empty_DOCKER_HOST_means_the_default_socket()
    {
        Assert.Equal(DockerEndpoint.Default, DockerEndpoint.FromEnvironment(_ => null));
        Assert.Equal(DockerEndpoint.Default, DockerEndpoint.FromEnvironment(_ => ""));
        Assert.Equal("/var/run/docker.sock", DockerEndpoint.Default.UnixSocketPath);
        Assert.Equal("unix:///var/run/docker.sock", DockerEndpoint.Default.DockerHost);
    }

    [Fact]
    public void Unix_DOCKER_HOST_gives_its_socket()
    {
        var endpoint = DockerEndpoint.FromEnvironment(n => n == "DOCKER_HOST" ? "unix:///run/user/1000/docker.sock" : null);

        Assert.True(endpoint.IsUnixSocket);
        Assert.Equal("/run/user/1000/docker.sock", endpoint.UnixSocketPath);
    }

    [Fact]
    public void Tcp_DOCKER_HOST_is_passed_to_the_library_as_it_is()
    {
        var endpoint = DockerEndpoint.Parse("tcp://10.0.0.5:2375");

        Assert.False(endpoint.IsUnixSocket);
        Assert.Equal(new Uri("tcp://10.0.0.5:2375"), endpoint.Address);
        Assert.Equal(new Uri("unix:///var/run/docker.sock"), DockerEndpoint.Default.Address);
    }

    [Theory]
    [InlineData("ssh://user@host", "use unix:///path/to/docker.sock or tcp://host:port")]
    [InlineData("npipe:////./pipe/docker_engine", "use unix:///path/to/docker.sock or tcp://host:port")]
    [InlineData("unix://relative.sock", "the socket path must be absolute")]
    public void Unsupported_DOCKER_HOST_is_refused_with_the_reason(string dockerHost, string reason)
    {
        var error = Assert.Throws<DockerException>(() => DockerEndpoint.Parse(dockerHost));

        Assert.Equal($"DOCKER_HOST={dockerHost} is not supported: {reason}", error.Message);
    }

    [Fact]
    public void Tls_is_refused_rather_than_silently_ignored()
    {
        var error = Assert.Throws<DockerException>(() => DockerEndpoint.FromEnvironment(n => n switch
        {
            "DOCKER_HOST" => "tcp://10.0.0.5:2376",
            "DOCKER_TLS_VERIFY" => "1",
            _ => null,
        }));

        Assert.Contains("TLS (DOCKER_TLS_VERIFY) is not supported", error.Message);
    }
}
