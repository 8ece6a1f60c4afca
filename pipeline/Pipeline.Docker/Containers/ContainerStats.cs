namespace Pipeline.Docker;

/// <summary>
/// One sample of a running container's resource use. <see cref="MemoryWorkingSetBytes"/> is what `docker stats`
/// shows as usage: the cgroup's usage minus the inactive page cache the kernel can reclaim; that is the number to
/// compare with a memory limit. <see cref="CpuPercent"/> is over the engine's ~1 s sampling window, 100 per busy CPU,
/// or null when the sample was taken without CPU.
/// </summary>
public sealed record ContainerStats(
    DateTimeOffset ReadAt,
    long MemoryUsageBytes,
    long MemoryWorkingSetBytes,
    long MemoryLimitBytes,
    double? CpuPercent,
    int OnlineCpus,
    long Pids);
