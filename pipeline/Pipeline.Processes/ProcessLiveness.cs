namespace Pipeline.Processes;

/// <summary>Whether a process id names a running process, from Linux's /proc.</summary>
public static class ProcessLiveness
{
    /// <summary>
    /// True when /proc/PID exists and the process is not a zombie: a detached daemon that died is
    /// re-parented, and where nothing reaps it a zombie entry stays behind.
    /// </summary>
    public static bool IsAlive(int pid, string procRoot = "/proc")
    {
        if (pid <= 0)
        {
            return false;
        }

        try
        {
            // Format: "PID (COMMAND) STATE ..."; COMMAND may contain spaces and parentheses, so use the last ')'.
            var stat = File.ReadAllText(Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "stat"));
            var afterCommand = stat.LastIndexOf(')');
            return afterCommand > 0 && afterCommand + 2 < stat.Length && stat[afterCommand + 2] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The live process whose id is in <paramref name="pidFile"/>, or null (no file, garbage, or dead).</summary>
    public static int? FromPidFile(string pidFile, string procRoot = "/proc")
    {
        if (!File.Exists(pidFile))
        {
            return null;
        }

        return int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && IsAlive(pid, procRoot) ? pid : null;
    }
}
