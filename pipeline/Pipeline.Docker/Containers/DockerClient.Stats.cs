namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// One sample of the container's memory and CPU use. The engine samples twice, a second apart, to compute CPU
    /// use, so this takes about 1-2 s; <see cref="StatsAsync(string, bool, CancellationToken)"/> without CPU answers
    /// at once. Throws when the container is not running.
    /// </summary>
    public Task<ContainerStats> StatsAsync(string container, CancellationToken cancellationToken) =>
        StatsAsync(container, sampleCpu: true, cancellationToken);

    /// <summary>
    /// One sample of the container's resource use; with <paramref name="sampleCpu"/> false the engine answers at once
    /// (one-shot, API 1.41+) and <see cref="ContainerStats.CpuPercent"/> is null: the way to sample memory often.
    /// </summary>
    public async Task<ContainerStats> StatsAsync(string container, bool sampleCpu, CancellationToken cancellationToken)
    {
        var operation = $"read the stats of container '{container}'";
        var parameters = new ContainerStatsParameters { Stream = false, OneShot = sampleCpu ? null : true };
        var sample = await engine.RunAsync(operation, async (client, token) =>
        {
            ContainerStatsResponse? last = null;
            await client.Containers.GetContainerStatsAsync(
                Name(container), parameters, new SynchronousProgress<ContainerStatsResponse>(response => last = response), token)
                .ConfigureAwait(false);
            return last;
        }, cancellationToken).ConfigureAwait(false);

        // A stopped container answers with empty memory stats rather than an error.
        if (sample?.MemoryStats is not { Usage: > 0 } memory)
        {
            throw new DockerException($"Cannot {operation}: it reports no memory use; it is not running");
        }

        var usage = (long)memory.Usage!.Value;
        // cgroup v1 names the reclaimable cache total_inactive_file, cgroup v2 inactive_file (as the docker CLI reads them).
        var details = memory.Stats ?? new Dictionary<string, ulong>();
        var inactiveFile = (long)(details.TryGetValue("total_inactive_file", out var v1) ? v1 : details.TryGetValue("inactive_file", out var v2) ? v2 : 0);
        var onlineCpus = (int)(sample.CPUStats?.OnlineCPUs ?? 0);
        if (onlineCpus == 0)
        {
            onlineCpus = sample.CPUStats?.CPUUsage?.PercpuUsage?.Count ?? 0;
        }

        return new ContainerStats(
            EngineTime.From(sample.Read) ?? DateTimeOffset.UtcNow,
            usage,
            usage > inactiveFile ? usage - inactiveFile : usage,
            (long)(memory.Limit ?? 0),
            CpuPercent(sample.CPUStats, sample.PreCPUStats, onlineCpus),
            onlineCpus,
            (long)(sample.PidsStats?.Current ?? 0));
    }

    // Without a previous sample (one-shot) there is no interval to compute CPU use over.
    private static double? CpuPercent(CPUStats? now, CPUStats? before, int onlineCpus)
    {
        if (now is null || before is not { SystemUsage: > 0 })
        {
            return null;
        }

        var containerDelta = (double)(now.CPUUsage?.TotalUsage ?? 0) - (before.CPUUsage?.TotalUsage ?? 0);
        var systemDelta = (double)(now.SystemUsage ?? 0) - (before.SystemUsage ?? 0);
        return containerDelta > 0 && systemDelta > 0 ? containerDelta / systemDelta * Math.Max(onlineCpus, 1) * 100.0 : 0;
    }
}
