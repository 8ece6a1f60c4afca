using System.Globalization;
using Pipeline.Processes;

namespace Pipeline.ReverseProxy;

/// <summary>Our haproxy's processes: whether a pid is a master running our config (from /proc), and its workers (from the master CLI's <c>show proc</c>).</summary>
internal static class HaproxyProcesses
{
    /// <summary>True when <paramref name="pid"/> lives and its command line names haproxy and <paramref name="configFile"/>.</summary>
    public static bool IsOurs(int pid, string configFile)
    {
        if (!ProcessLiveness.IsAlive(pid)) return false;
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return arguments[0].EndsWith("haproxy", StringComparison.Ordinal) && arguments.Contains(configFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The master's view: its failed reload count and the pid of its current worker (null while it has none).</summary>
    public static (int FailedReloads, int? CurrentWorker) ParseShowProc(string text)
    {
        int failed = 0;
        int? worker = null;
        var section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                section = line;
                continue;
            }
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3) continue;
            if (fields[1] == "master")
            {
                var at = line.IndexOf("failed:", StringComparison.Ordinal);
                if (at >= 0) failed = int.Parse(new string(line[(at + 7)..].Trim().TakeWhile(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
            }
            else if (fields[1] == "worker" && section == "# workers" && worker is null)
            {
                worker = int.Parse(fields[0], CultureInfo.InvariantCulture);
            }
        }
        return (failed, worker);
    }
}
