namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// One sample of the container's memory and CPU use (GET stats?stream=false, which takes about a second:
    /// the engine samples twice to compute CPU use). Throws when the container is not running.
    /// </summary>
    public async Task<ContainerStats> StatsAsync(string container, CancellationToken cancellationToken)
    {
        var operation = $"read the stats of container '{container}'";
        var path = new QueryString($"containers/{ResourceName.ForPath(container, "container")}/stats").Add("stream", "false");
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

    private static double CpuPercent(JsonElement? cpu, JsonElement? previous, int onlineCpus)
    {
        if (cpu is not { } now || previous is not { } before)
        {
            return 0;
        }

        var containerDelta = (now.Object("cpu_usage")?.Int64("total_usage") ?? 0) - (before.Object("cpu_usage")?.Int64("total_usage") ?? 0);
        var systemDelta = now.Int64("system_cpu_usage") - before.Int64("system_cpu_usage");
        return containerDelta > 0 && systemDelta > 0 ? (double)containerDelta / systemDelta * Math.Max(onlineCpus, 1) * 100.0 : 0;
    }
}
