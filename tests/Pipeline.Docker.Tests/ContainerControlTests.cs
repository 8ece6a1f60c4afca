namespace Pipeline.Docker.Tests;

[Collection(DockerEngineCollection.Name)]
public sealed class ContainerControlTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task Second_container_with_a_taken_name_is_a_409_naming_it()
    {
        var name = engine.UniqueName("taken");
        var spec = new ContainerSpec(engine.BaseImage) { Name = name, Command = ["sleep", "60"] };
        await engine.Client.CreateContainerAsync(spec, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.CreateContainerAsync(spec, CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.StartsWith($"Cannot create container '{name}' from image '{engine.BaseImage}': Conflict. The container name \"/{name}\" is already in use", error.Message);
        Assert.EndsWith("(HTTP 409)", error.Message);
    }

    [Fact]
    public async Task Container_of_a_missing_image_is_a_404_naming_the_image()
    {
        var image = engine.UniqueName("no-image") + ":1";

        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.CreateContainerAsync(
            new ContainerSpec(image) { Command = ["true"] }, CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Contains($"No such image: {image}", error.Message);
    }

    [Fact]
    public async Task Kill_sends_the_signal_and_killing_a_stopped_container_is_a_conflict()
    {
        var client = engine.Client;
        var created = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage) { Command = ["sleep", "300"], NetworkMode = "none" }, CancellationToken.None);
        await client.StartContainerAsync(created.Id, CancellationToken.None);
        await client.StartContainerAsync(created.Id, CancellationToken.None); // already running: no error
        Assert.Null((await client.InspectContainerAsync(created.Id, CancellationToken.None)).IpAddress);

        await client.KillContainerAsync(created.Id, "SIGKILL", CancellationToken.None);

        Assert.Equal(128 + 9, await client.WaitContainerAsync(created.Id, CancellationToken.None));
        var error = await Assert.ThrowsAsync<DockerException>(() => client.KillContainerAsync(created.Id, "SIGTERM", CancellationToken.None));
        Assert.True(error.IsConflict);
        Assert.Contains("is not running", error.Message);
    }

    [Fact]
    public async Task Label_filter_lists_matching_containers_stopped_ones_included()
    {
        var client = engine.Client;
        var marker = engine.UniqueName("listed");
        var labels = new Dictionary<string, string> { ["org.example.marker"] = marker };
        var first = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage) { Command = ["true"], Labels = labels }, CancellationToken.None);
        var second = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage) { Command = ["sleep", "60"], Labels = labels }, CancellationToken.None);
        await client.CreateContainerAsync(new ContainerSpec(engine.BaseImage) { Command = ["true"] }, CancellationToken.None);
        await client.StartContainerAsync(second.Id, CancellationToken.None);

        var all = await client.ListContainersAsync(new ContainerFilter { Labels = [$"org.example.marker={marker}"] }, CancellationToken.None);
        var runningOnly = await client.ListContainersAsync(
            new ContainerFilter { Labels = [$"org.example.marker={marker}"], IncludeStopped = false }, CancellationToken.None);

        Assert.Equal(new[] { first.Id, second.Id }.Order(), all.Select(container => container.Id).Order());
        var running = Assert.Single(runningOnly);
        Assert.Equal(second.Id, running.Id);
        Assert.Equal("running", running.State);
        Assert.Equal(engine.BaseImage, running.Image);
        Assert.Equal(marker, running.Labels["org.example.marker"]);
        await client.RemoveContainerAsync(second.Id, force: true, CancellationToken.None);
    }

    [Fact]
    public async Task Environment_entrypoint_and_command_reach_the_process()
    {
        var client = engine.Client;
        var created = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage)
            {
                Entrypoint = ["sh", "-c"],
                Command = ["echo \"$GREETING\"; echo \"$SECOND\" >&2; exit 7"],
                Environment = new Dictionary<string, string> { ["GREETING"] = "hi from env", ["SECOND"] = "a=b c" },
                Cpus = 0.5,
            },
            CancellationToken.None);
        await client.StartContainerAsync(created.Id, CancellationToken.None);

        Assert.Equal(7, await client.WaitContainerAsync(created.Id, CancellationToken.None));
        var logs = await client.GetLogsAsync(created.Id, null, CancellationToken.None);
        Assert.Equal("hi from env\n", logs.StandardOutput);
        Assert.Equal("a=b c\n", logs.StandardError);
    }

    [Fact]
    public async Task Cpu_limit_beyond_the_machine_is_refused_by_the_engine()
    {
        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage) { Command = ["true"], Cpus = 4096 }, CancellationToken.None));

        Assert.Contains("CPUs", error.Message);
    }

    [Fact]
    public async Task Cancelling_a_wait_stops_waiting_at_once()
    {
        var client = engine.Client;
        var created = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage) { Command = ["sleep", "300"] }, CancellationToken.None);
        await client.StartContainerAsync(created.Id, CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitContainerAsync(created.Id, cancel.Token));

        Assert.True((await client.InspectContainerAsync(created.Id, CancellationToken.None)).State.Running);
        await client.RemoveContainerAsync(created.Id, force: true, CancellationToken.None);
    }
}
