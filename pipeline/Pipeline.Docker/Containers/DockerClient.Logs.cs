using System.Globalization;

namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// The container's output so far (standard output and error), the last <paramref name="tail"/> lines or all
    /// of it when null. Works on stopped containers too: their output is what explains why they stopped.
    /// </summary>
    public async Task<ContainerLogs> GetLogsAsync(string container, int? tail, CancellationToken cancellationToken)
    {
        if (tail is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tail), tail, "tail is a number of lines (0 or more), or null for all");
        }

        // Only a container without a TTY multiplexes its output; with one, the body is the raw terminal stream.
        var details = await InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var operation = $"read the logs of container '{container}'";
        var path = new QueryString($"containers/{ResourceName.ForPath(container, "container")}/logs")
            .Add("stdout", true)
            .Add("stderr", true)
            .Add("tail", tail?.ToString(CultureInfo.InvariantCulture) ?? "all");
        using var response = await api.OpenStreamAsync(DockerRequest.Get(path.ToString(), operation), cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (details.Tty)
        {
            using var raw = new MemoryStream();
            await stream.CopyToAsync(raw, cancellationToken).ConfigureAwait(false);
            return new ContainerLogs([(LogStream.StandardOutput, raw.ToArray())]);
        }

        return new ContainerLogs(await MultiplexedStream.ReadFramesAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
