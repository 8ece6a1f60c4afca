using System.Diagnostics;

namespace Pipeline.Prerequisites.Tests;

public sealed class DetachedDaemonLauncherTests
{
    [Fact]
    public async Task Starts_a_real_program_in_its_own_session_logging_to_a_file()
    {
        using var work = new TempDirectory();
        var log = work.File("daemon.log");
        var launcher = new DetachedDaemonLauncher(new ProcessRunner());

        var pid = await launcher.StartAsync("sh", ["-c", "echo daemon says hello; echo to stderr >&2; exec sleep 60"], log, CancellationToken.None);
        try
        {
            Assert.True(ProcessLiveness.IsAlive(pid));
            Assert.NotEqual(SessionId(Environment.ProcessId), SessionId(pid));
            var stopwatch = Stopwatch.StartNew();
            while (!File.ReadAllText(log).Contains("to stderr", StringComparison.Ordinal) && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            Assert.Equal("daemon says hello\nto stderr\n", File.ReadAllText(log));
        }
        finally
        {
            using var daemon = Process.GetProcessById(pid);
            daemon.Kill();
        }
    }

    [Fact]
    public async Task Failing_setsid_is_reported_with_its_command()
    {
        var runner = new FakeProcessRunner().On("setsid", [], _ => FakeProcessRunner.Fail(1, "setsid: failed to execute sh: Permission denied"));

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => new DetachedDaemonLauncher(runner).StartAsync("dockerd", [], "/var/log/x.log", CancellationToken.None));

        Assert.Contains("setsid -f sh -c", error.Message);
        Assert.Contains("Permission denied", error.Message);
    }

    // Field 6 of /proc/PID/stat is the session id.
    private static int SessionId(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3]);
    }
}
