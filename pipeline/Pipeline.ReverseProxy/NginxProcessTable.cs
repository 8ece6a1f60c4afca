using System.Globalization;
using Pipeline.Processes;

namespace Pipeline.ReverseProxy;

/// <summary>nginx's processes as Linux's /proc shows them: whether a pid is an nginx master, and its workers.</summary>
internal static class NginxProcessTable
{
    public static bool IsNginx(int pid) =>
        ProcessLiveness.IsAlive(pid) && ReadCommandLine(pid).StartsWith("nginx", StringComparison.Ordinal);

    /// <summary>The live children of <paramref name="masterPid"/>: its worker processes, old (shutting down) and new.</summary>
    public static IReadOnlySet<int> Workers(int masterPid)
    {
        var workers = new HashSet<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                // "PID (COMMAND) STATE PPID ...": the command may hold spaces, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is not ("Z" or "X") && int.Parse(fields[1], CultureInfo.InvariantCulture) == masterPid) workers.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // The process ended while we looked: it is no worker any more.
            }
        }
        return workers;
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
