namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    public Task<CreatedContainer> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image);
        var operation = $"create container {(spec.Name is null ? string.Empty : $"'{spec.Name}' ")}from image '{spec.Image}'";
        return engine.RunAsync(operation, async (client, token) =>
        {
            var created = await client.Containers.CreateContainerAsync(ContainerSpecParameters.From(spec), token).ConfigureAwait(false);
            return new CreatedContainer(created.ID, [.. created.Warnings ?? []]);
        }, cancellationToken);
    }

    /// <summary>Starts the container; starting one that already runs is not an error.</summary>
    public Task StartContainerAsync(string container, CancellationToken cancellationToken) =>
        engine.RunAsync($"start container '{container}'",
            (client, token) => client.Containers.StartContainerAsync(Name(container), new ContainerStartParameters(), token), cancellationToken);

    public Task<ContainerDetails> InspectContainerAsync(string container, CancellationToken cancellationToken) =>
        engine.RunAsync($"inspect container '{container}'", async (client, token) =>
            ContainerDetails.Read(await client.Containers.InspectContainerAsync(Name(container), token).ConfigureAwait(false)), cancellationToken);

    /// <summary>Everything the engine reports about the container, as JSON: for checks over all of it, e.g. that no secret appears anywhere.</summary>
    public Task<string> InspectContainerJsonAsync(string container, CancellationToken cancellationToken) =>
        engine.RunAsync($"inspect container '{container}'", async (client, token) =>
            System.Text.Json.JsonSerializer.Serialize(await client.Containers.InspectContainerAsync(Name(container), token).ConfigureAwait(false)), cancellationToken);

    /// <summary>
    /// Sends the container's stop signal (SIGTERM unless the image says otherwise), waits up to <paramref name="timeout"/>
    /// for it to exit, then kills it. Returns once it has stopped; stopping a stopped container is not an error.
    /// Read the exit code with <see cref="WaitContainerAsync"/> or <see cref="InspectContainerAsync"/>.
    /// </summary>
    public Task StopContainerAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = (uint)Math.Ceiling(Math.Max(0, timeout.TotalSeconds));
        return engine.RunAsync($"stop container '{container}'",
            (client, token) => client.Containers.StopContainerAsync(Name(container), new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, token),
            cancellationToken);
    }

    /// <summary>Sends <paramref name="signal"/> ("SIGKILL", "SIGTERM", "SIGHUP"...) to the container's main process; 409 when it is not running.</summary>
    public Task KillContainerAsync(string container, string signal, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signal);
        return engine.RunAsync($"send {signal} to container '{container}'",
            (client, token) => client.Containers.KillContainerAsync(Name(container), new ContainerKillParameters { Signal = signal }, token),
            cancellationToken);
    }

    /// <summary>Waits until the container is not running (at once if it already stopped) and returns its exit code.</summary>
    public Task<long> WaitContainerAsync(string container, CancellationToken cancellationToken)
    {
        var operation = $"wait for container '{container}'";
        return engine.RunAsync(operation, async (client, token) =>
        {
            var result = await client.Containers.WaitContainerAsync(Name(container), token).ConfigureAwait(false);
            return result.Error?.Message is { Length: > 0 } error
                ? throw new DockerException($"Cannot {operation}: {error}", engineMessage: error)
                : result.StatusCode;
        }, cancellationToken);
    }

    /// <summary>Removes the container and its anonymous volumes; <paramref name="force"/> kills it first if it runs.</summary>
    public Task RemoveContainerAsync(string container, bool force, CancellationToken cancellationToken) =>
        engine.RunAsync($"remove container '{container}'",
            (client, token) => client.Containers.RemoveContainerAsync(
                Name(container), new ContainerRemoveParameters { Force = force, RemoveVolumes = true }, token),
            cancellationToken);

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(ContainerFilter? filter, CancellationToken cancellationToken)
    {
        filter ??= new ContainerFilter();
        var parameters = new ContainersListParameters { All = filter.IncludeStopped, Filters = filter.ToFilters() };
        return engine.RunAsync("list containers", async (client, token) =>
        {
            var containers = await client.Containers.ListContainersAsync(parameters, token).ConfigureAwait(false);
            return (IReadOnlyList<ContainerSummary>)containers.Select(ContainerSummary.Read).ToArray();
        }, cancellationToken);
    }
}
