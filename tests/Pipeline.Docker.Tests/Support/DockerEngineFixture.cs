namespace Pipeline.Docker.Tests;

[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "Docker engine";
}

/// <summary>
/// The real engine, and a busybox base image imported once per test run. Everything a test creates inherits the
/// base image's run label (images built FROM it, their intermediate layers, containers of them), so disposal
/// finds and removes all of it, failed builds included.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    public const string RunLabelKey = "org.mlops-pipeline.test-run";

    private int counter;

    public DockerEngineFixture()
    {
        RunId = Guid.NewGuid().ToString("N")[..10];
        Client = new DockerClient(DockerEndpoint.FromEnvironment(Environment.GetEnvironmentVariable));
    }

    public DockerClient Client { get; }

    public string RunId { get; }

    /// <summary>"key=value" of this run's label, for list filters.</summary>
    public string RunLabel => $"{RunLabelKey}={RunId}";

    /// <summary>The busybox image, tagged per run so that two runs at once never remove each other's base.</summary>
    public string BaseImage => $"mlops-test/busybox:run-{RunId}";

    public string BaseImageId { get; private set; } = string.Empty;

    /// <summary>A name no other test or run uses, e.g. for a container or an image tag.</summary>
    public string UniqueName(string purpose) => $"mlops-test-{purpose}-{RunId}-{Interlocked.Increment(ref counter)}";

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Fails (not skips) every test of the collection, with DockerEngineUnavailableException's
        // "run ./build.sh Setup (starts dockerd) or set DOCKER_HOST".
        await Client.PingAsync(timeout.Token);
        var busybox = BusyboxRootfs.FindBusybox();
        await using var rootfs = await BusyboxRootfs.CreateAsync(busybox, timeout.Token);
        BaseImageId = await Client.ImportImageAsync(
            rootfs, "mlops-test/busybox", $"run-{RunId}", [$"LABEL {RunLabelKey}={RunId}", "ENV PATH=/bin"], timeout.Token);
    }

    public async Task DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // Without a base image (no engine, no busybox) no test could create anything.
            if (BaseImageId.Length > 0)
            {
                await RemoveEverythingLabelledAsync(timeout.Token);
            }
        }
        finally
        {
            Client.Dispose();
        }
    }

    private async Task RemoveEverythingLabelledAsync(CancellationToken cancellationToken)
    {
        foreach (var container in await Client.ListContainersAsync(new ContainerFilter { Labels = [RunLabel] }, cancellationToken))
        {
            await IgnoreMissingAsync(() => Client.RemoveContainerAsync(container.Id, force: true, cancellationToken));
        }

        // A parent layer cannot go before its children (409); each pass removes the leaves.
        for (var pass = 0; pass < 10; pass++)
        {
            var images = await Client.ListImagesAsync(new ImageFilter { Labels = [RunLabel], IncludeIntermediate = true }, cancellationToken);
            if (images.Count == 0)
            {
                return;
            }

            foreach (var image in images)
            {
                try
                {
                    await Client.RemoveImageAsync(image.Id, force: true, cancellationToken);
                }
                catch (DockerException ex) when (ex.IsNotFound || ex.IsConflict)
                {
                    // Already pruned with a child, or still has children: the next pass takes it.
                }
            }
        }
    }

    private static async Task IgnoreMissingAsync(Func<Task> remove)
    {
        try
        {
            await remove();
        }
        catch (DockerException ex) when (ex.IsNotFound)
        {
        }
    }
}
