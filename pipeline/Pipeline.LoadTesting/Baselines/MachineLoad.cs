using System.Globalization;

namespace Pipeline.LoadTesting.Baselines;

/// <summary>How busy the machine was during a run: the 1-minute load average at its end, CPU busy and stolen shares.</summary>
/// <param name="StealPercent">Time the hypervisor gave this VM's CPUs to someone else: noise no measurement can see.</param>
public sealed record MachineLoad(double LoadAverage1Minute, double BusyPercent, double StealPercent, int Cores)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"load average {LoadAverage1Minute:0.00} on {Cores} cores, CPU busy {BusyPercent:0.#} %, steal {StealPercent:0.#} %");
}

/// <summary>
/// Samples /proc/stat and /proc/loadavg around a run (Linux). Elsewhere, or when the files cannot be read, the
/// figures are NaN rather than a guess.
/// </summary>
public sealed class MachineLoadMonitor
{
    private readonly string _procDirectory;
    private readonly CpuTimes? _start;

    private MachineLoadMonitor(string procDirectory)
    {
        _procDirectory = procDirectory;
        _start = CpuTimes.Read(procDirectory);
    }

    public static MachineLoadMonitor Start(string procDirectory = "/proc") => new(procDirectory);

    public MachineLoad Stop()
    {
        var end = CpuTimes.Read(_procDirectory);
        var loadAverage = ReadLoadAverage(_procDirectory);
        if (_start is not { } start || end is not { } stop || stop.Total <= start.Total)
            return new MachineLoad(loadAverage, double.NaN, double.NaN, Environment.ProcessorCount);
        var total = (double)(stop.Total - start.Total);
        return new MachineLoad(loadAverage, 100 * (total - (stop.Idle - start.Idle)) / total, 100 * (stop.Steal - start.Steal) / total, Environment.ProcessorCount);
    }

    private static double ReadLoadAverage(string procDirectory)
    {
        try
        {
            var first = File.ReadAllText(Path.Combine(procDirectory, "loadavg")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>The aggregate "cpu" line of /proc/stat in clock ticks: idle counts iowait too.</summary>
    internal readonly record struct CpuTimes(long Total, long Idle, long Steal)
    {
        public static CpuTimes? Read(string procDirectory)
        {
            try
            {
                var line = File.ReadLines(Path.Combine(procDirectory, "stat")).FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
                return line is null ? null : Parse(line);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>"cpu user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.</summary>
        public static CpuTimes? Parse(string line)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray();
            if (fields.Length < 8 || fields.Take(8).Any(v => v < 0)) return null;
            return new CpuTimes(fields.Take(8).Sum(), fields[3] + fields[4], fields[7]);
        }
    }
}
