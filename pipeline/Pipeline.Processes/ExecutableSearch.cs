namespace Pipeline.Processes;

/// <summary>Finds a program the way a shell does, by searching PATH for an executable file.</summary>
public static class ExecutableSearch
{
    // Root's usual PATH; used when PATH is unset, as in some minimal service environments.
    private const string FallbackPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Full path of <paramref name="program"/>, or null when no directory on PATH has it.</summary>
    public static string? Find(string program, Func<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        var path = environment("PATH");
        var directories = (string.IsNullOrEmpty(path) ? FallbackPath : path).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(IsExecutableFile);
    }

    private static bool IsExecutableFile(string candidate) =>
        File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & AnyExecute) != 0);
}
