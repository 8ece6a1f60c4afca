using System.Globalization;

namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    public async Task<CreatedContainer> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image);
        var operation = $"create container {(spec.Name is null ? string.Empty : $"'{spec.Name}' ")}from image '{spec.Image}'";
        var path = new QueryString("containers/create").Add("name", spec.Name);
        var json = await SendForJsonAsync(DockerRequest.PostJson(path.ToString(), operation, ContainerSpecJson.Write(spec)), cancellationToken)
            .ConfigureAwait(false);
        return new CreatedContainer(json.RequiredString("Id", operation), json.Strings("Warnings"));
    }

    /// <summary>Starts the container; starting one that already runs is not an error.</summary>
    public async Task StartContainerAsync(string container, CancellationToken cancellationToken)
    {
        var request = DockerRequest.Post($"containers/{ResourceName.ForPath(container, "container")}/start", $"start container '{container}'")
            with { AlsoAccepted = [HttpStatusCode.NotModified] };
        await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContainerDetails> InspectContainerAsync(string container, CancellationToken cancellationToken)
    {
        var operation = $"inspect container '{container}'";
        var json = await SendForJsonAsync(DockerRequest.Get($"containers/{ResourceName.ForPath(container, "container")}/json", operation), cancellationToken)
            .ConfigureAwait(false);
        return ContainerDetails.Read(json, operation);
    }

    /// <summary>
    /// Sends the container's stop signal (SIGTERM unless the image says otherwise), waits up to <paramref name="timeout"/>
    /// for it to exit, then kills it. Returns once it has stopped; stopping a stopped container is not an error.
    /// Read the exit code with <see cref="WaitContainerAsync"/> or <see cref="InspectContainerAsync"/>.
    /// </summary>
    public async Task StopContainerAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(Math.Max(0, timeout.TotalSeconds));
        var path = new QueryString($"containers/{ResourceName.ForPath(container, "container")}/stop")
            .Add("t", seconds.ToString(CultureInfo.InvariantCulture));
        var request = DockerRequest.Post(path.ToString(), $"stop container '{container}'") with
        {
            AlsoAccepted = [HttpStatusCode.NotModified],
            ExtraTime = TimeSpan.FromSeconds(seconds),
        };
        await api.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="signal"/> ("SIGKILL", "SIGTERM", "SIGHUP"...) to the container's main process; 409 when it is not running.</summary>
    public async Task KillContainerAsync(string container, string signal, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signal);
        var path = new QueryString($"containers/{ResourceName.ForPath(container, "container")}/kill").Add("signal", signal);
        await api.SendAsync(DockerRequest.Post(path.ToString(), $"send {signal} to container '{container}'"), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Waits until the container is not running (at once if it already stopped) and returns its exit code.</summary>
    public async Task<long> WaitContainerAsync(string container, CancellationToken cancellationToken)
    {
        var operation = $"wait for container '{container}'";
        var path = new QueryString($"containers/{ResourceName.ForPath(container, "container")}/wait").Add("condition", "not-running");
        using var response = await api.OpenStreamAsync(DockerRequest.Post(path.ToString(), operation), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.Object("Error")?.String("Message") is { Length: > 0 } error)
        {
            throw new DockerException($"Cannot {operation}: {error}", engineMessage: error);
        }

        return json.RootElement.Property("StatusCode") is { ValueKind: JsonValueKind.Number } code
            ? code.GetInt64()
            : throw new DockerException($"Cannot {operation}: the answer has no StatusCode");
    }

    /// <summary>Removes the container and its anonymous volumes; <paramref name="force"/> kills it first if it runs.</summary>
    public async Task RemoveContainerAsync(string container, bool force, CancellationToken cancellationToken)
    {
        var path = new QueryString($"containers/{ResourceName.ForPath(container, "container")}").Add("force", force).Add("v", true);
        await api.SendAsync(DockerRequest.Delete(path.ToString(), $"remove container '{container}'"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(ContainerFilter? filter, CancellationToken cancellationToken)
    {
        const string operation = "list containers";
        filter ??= new ContainerFilter();
        var path = new QueryString("containers/json").Add("all", filter.IncludeStopped).AddJson("filters", filter.ToFilters());
        var json = await SendForJsonAsync(DockerRequest.Get(path.ToString(), operation), cancellationToken).ConfigureAwait(false);
        return json.ValueKind == JsonValueKind.Array
            ? json.EnumerateArray().Select(container => ContainerSummary.Read(container, operation)).ToArray()
            : [];
    }
}
