using System.Diagnostics;

namespace Pipeline.Prerequisites.Tests;

public sealed class SmallUtilitiesTests
{
    [Fact]
    public void ExecutableSearch_finds_only_executable_files_in_PATH_order()
    {
        using var directory = new TempDirectory();
        var first = directory.Subdirectory("first");
        var second = directory.Subdirectory("second");
        File.WriteAllText(Path.Combine(first, "tool"), "not executable");
        File.WriteAllText(Path.Combine(second, "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(second, "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var path = $"{first}:{second}";

        Assert.Equal(Path.Combine(second, "tool"), ExecutableSearch.Find("tool", name => name == "PATH" ? path : null));
        Assert.Null(ExecutableSearch.Find("absent", name => name == "PATH" ? path : null));
    }

    [Fact]
    public void ExecutableSearch_uses_the_usual_root_PATH_when_PATH_is_unset()
    {
        var sh = ExecutableSearch.Find("sh", _ => null);

        Assert.NotNull(sh);
        Assert.Matches("^/(usr/)?bin/sh$", sh);
    }

    [Fact]
    public async Task ProcessLiveness_tells_running_from_exited_processes()
    {
        using var exited = Process.Start("true")!;
        var exitedPid = exited.Id;
        await exited.WaitForExitAsync();

        Assert.True(ProcessLiveness.IsAlive(Environment.ProcessId));
        Assert.False(ProcessLiveness.IsAlive(exitedPid));
        Assert.False(ProcessLiveness.IsAlive(0));
    }

    [Fact]
    public void ProcessLiveness_treats_zombies_as_dead_even_with_parentheses_in_the_name()
    {
        using var proc = new TempDirectory();
        Directory.CreateDirectory(proc.File("41"));
        Directory.CreateDirectory(proc.File("42"));
        File.WriteAllText(proc.File("41/stat"), "41 (my (odd) daemon) Z 1 41 41 0 -1");
        File.WriteAllText(proc.File("42/stat"), "42 (my (odd) daemon) S 1 42 42 0 -1");

        Assert.False(ProcessLiveness.IsAlive(41, proc.Path));
        Assert.True(ProcessLiveness.IsAlive(42, proc.Path));
    }

    [Fact]
    public void ProcessLiveness_reads_pid_files_and_ignores_garbage()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("live.pid"), $"{Environment.ProcessId}\n");
        File.WriteAllText(directory.File("garbage.pid"), "not a pid");

        Assert.Equal(Environment.ProcessId, ProcessLiveness.FromPidFile(directory.File("live.pid")));
        Assert.Null(ProcessLiveness.FromPidFile(directory.File("garbage.pid")));
        Assert.Null(ProcessLiveness.FromPidFile(directory.File("absent.pid")));
    }

    [Fact]
    public void LogTail_returns_the_last_lines_of_a_large_log()
    {
        using var directory = new TempDirectory();
        var log = directory.File("daemon.log");
        File.WriteAllLines(log, Enumerable.Range(1, 50_000).Select(i => $"line {i}"));

        Assert.Equal("line 49999 | line 50000", LogTail.Read(log, lines: 2));
        Assert.Contains("does not exist", LogTail.Read(directory.File("absent.log")));
    }
}
