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
        var path = new QueryString($"containers/{ResourceName.ForPath(container, "container")}/stats")
            .Add("stream", "false")
            .Add("one-shot", !sampleCpu);
        var json = await SendForJsonAsync(DockerRequest.Get(path.ToString(), operation), cancellationToken).ConfigureAwait(false);

        // A stopped container answers with empty memory stats rather than an error.
        if (json.Object("memory_stats") is not { } memory || memory.Int64("usage") == 0)
        {
            throw new DockerException($"Cannot {operation}: it reports no memory use; it is not running");
        }

        var usage = memory.Int64("usage");
        var details = memory.Object("stats");
        // cgroup v1 names the reclaimable cache total_inactive_file, cgroup v2 inactive_file (as the docker CLI reads them).
        var inactiveFile = details?.Property("total_inactive_file") is not null
            ? details.Value.Int64("total_inactive_file")
            : details?.Int64("inactive_file") ?? 0;
        var cpu = json.Object("cpu_stats");
        var previousCpu = json.Object("precpu_stats");
        var onlineCpus = (int)(cpu?.Int64("online_cpus") ?? 0);
        if (onlineCpus == 0)
        {
            onlineCpus = cpu?.Object("cpu_usage")?.Property("percpu_usage") is { ValueKind: JsonValueKind.Array } perCpu ? perCpu.GetArrayLength() : 0;
        }

        return new ContainerStats(
            json.Time("read") ?? DateTimeOffset.UtcNow,
            usage,
            usage > inactiveFile ? usage - inactiveFile : usage,
            memory.Int64("limit"),
            CpuPercent(cpu, previousCpu, onlineCpus),
            onlineCpus,
            json.Object("pids_stats")?.Int64("current") ?? 0);
    }

    // Without a previous sample (one-shot) there is no interval to compute CPU use over.
    private static double? CpuPercent(JsonElement? cpu, JsonElement? previous, int onlineCpus)
    {
        if (cpu is not { } now || previous is not { } before || before.Int64("system_cpu_usage") == 0)
        {
            return null;
        }

        var containerDelta = (now.Object("cpu_usage")?.Int64("total_usage") ?? 0) - (before.Object("cpu_usage")?.Int64("total_usage") ?? 0);
        var systemDelta = now.Int64("system_cpu_usage") - before.Int64("system_cpu_usage");
        return containerDelta > 0 && systemDelta > 0 ? (double)containerDelta / systemDelta * Math.Max(onlineCpus, 1) * 100.0 : 0;
    }
}
