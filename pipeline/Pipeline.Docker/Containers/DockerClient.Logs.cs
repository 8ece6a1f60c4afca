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

        // Inspected first so that a missing container is named as such, not as unreadable logs.
        await InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Tail = tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
        };
        return await engine.RunAsync($"read the logs of container '{container}'", async (client, token) =>
        {
            // Docker.DotNet demultiplexes a container without a TTY; with one, everything is standard output.
            using var output = await client.Containers.GetContainerLogsAsync(Name(container), parameters, token).ConfigureAwait(false);
            return await ContainerLogs.ReadAsync(output, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
