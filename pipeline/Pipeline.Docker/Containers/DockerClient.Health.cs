namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// Polls the container's health check until it reports "healthy" and returns its details. Throws when it turns
    /// "unhealthy", stops running, has no health check, or is not healthy within <paramref name="timeout"/>; the
    /// error ends with the container's last log lines, which usually say why.
    /// </summary>
    public async Task<ContainerDetails> WaitUntilHealthyAsync(
        string container, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var details = await InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            var problem = details.State switch
            {
                { HealthStatus: "healthy" } => null,
                { Running: false } state => $"stopped (exit code {state.ExitCode}) before it was healthy",
                { HealthStatus: null } => "has no health check: give it one (ContainerSpec.Healthcheck or HEALTHCHECK)",
                { HealthStatus: "unhealthy" } => "is unhealthy",
                _ when DateTime.UtcNow >= deadline => $"was not healthy within {timeout.TotalSeconds:0.#} s",
                _ => string.Empty,
            };
            if (problem is null)
            {
                return details;
            }

            if (problem.Length > 0)
            {
                var logs = await GetLogsAsync(container, tail: 20, cancellationToken).ConfigureAwait(false);
                throw new DockerException($"Container '{container}' {problem}. Last log lines:{Environment.NewLine}{logs.Combined.TrimEnd()}");
            }

            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
