namespace Pipeline.Docker.Tests;

[Collection(DockerEngineCollection.Name)]
public sealed class EngineTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task Version_reports_the_engine_and_its_api_range()
    {
        var version = await engine.Client.VersionAsync(CancellationToken.None);

        Assert.False(string.IsNullOrWhiteSpace(version.Version));
        Assert.True(Version.Parse(version.ApiVersion) >= Version.Parse("1.24"), version.ApiVersion);
        Assert.True(Version.Parse(version.MinimumApiVersion!) <= Version.Parse(version.ApiVersion));
        Assert.Equal("linux", version.Os);
    }

    [Fact]
    public async Task Negotiated_api_version_is_the_one_chosen_for_this_engine_and_it_accepts_it()
    {
        using var client = new DockerClient(engine.Client.Endpoint);
        var version = await client.VersionAsync(CancellationToken.None);

        await client.ListContainersAsync(new ContainerFilter { Labels = [engine.RunLabel] }, CancellationToken.None);

        Assert.Equal(ApiVersionNegotiation.Choose(version.ApiVersion, version.MinimumApiVersion), client.ApiVersion);
    }

    [Fact]
    public async Task Pinned_api_version_the_engine_does_not_speak_is_refused_with_the_engines_reason()
    {
        using var client = new DockerClient(engine.Client.Endpoint, new DockerClientOptions { ApiVersion = "9.99" });

        var error = await Assert.ThrowsAsync<DockerException>(() => client.ListContainersAsync(null, CancellationToken.None));

        Assert.Equal("9.99", client.ApiVersion);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.StartsWith("Cannot list containers: ", error.Message);
        Assert.Contains("9.99", error.EngineMessage);
    }

    [Fact]
    public async Task Missing_image_is_a_404_naming_it()
    {
        var missing = engine.UniqueName("absent") + ":1";

        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.InspectImageAsync(missing, CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains(missing, error.Message);
        Assert.Contains("No such image", error.EngineMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Missing_container_is_a_404_naming_it()
    {
        var missing = engine.UniqueName("absent");

        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.GetLogsAsync(missing, null, CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Equal($"Cannot inspect container '{missing}': No such container: {missing} (HTTP 404)", error.Message);
    }
}

public sealed class UnreachableEngineTests : IDisposable
{
    private readonly TemporaryDirectory work = new();

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Missing_socket_names_it_and_says_how_to_start_an_engine()
    {
        var socket = work.File("docker.sock");
        using var client = new DockerClient(DockerEndpoint.Unix(socket));

        var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.PingAsync(CancellationToken.None));

        Assert.Equal(
            $"No Docker engine answers on unix://{socket} ({socket} does not exist): run ./build.sh Setup (starts dockerd) " +
            "or set DOCKER_HOST to a running engine",
            error.Message);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task File_at_the_socket_path_without_a_listener_is_unreachable()
    {
        // What a crashed engine can leave behind: a file at the socket path that nothing listens on.
        var socket = work.File("stale.sock");
        File.WriteAllText(socket, string.Empty);
        using var client = new DockerClient(DockerEndpoint.Unix(socket));

        var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(
            () => client.ListContainersAsync(null, CancellationToken.None));

        Assert.StartsWith($"No Docker engine answers on unix://{socket} (", error.Message);
        Assert.EndsWith("run ./build.sh Setup (starts dockerd) or set DOCKER_HOST to a running engine", error.Message);
    }
}
