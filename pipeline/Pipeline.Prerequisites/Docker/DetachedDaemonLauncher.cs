using System.Globalization;

namespace Pipeline.Prerequisites;

/// <summary>
/// Starts a long-running program that must outlive the build: in its own session (setsid, so the
/// terminal's Ctrl-C and hang-up do not reach it), with output appended to a log file and no handle
/// to our process. Returns its process id.
/// </summary>
public sealed class DetachedDaemonLauncher(IProcessRunner runner)
{
    // sh backgrounds the daemon with its output redirected, prints its pid on our pipe and exits,
    // so our pipe closes at once and nothing of ours stays open in the daemon.
    private const string Script = "log=$1; shift; \"$@\" >>\"$log\" 2>&1 </dev/null & echo $!";

    public async Task<int> StartAsync(
        string program, IReadOnlyList<string> arguments, string logFile, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec("setsid", ["-f", "sh", "-c", Script, "sh", logFile, program, .. arguments]);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandNotFoundException ex)
        {
            throw new PrerequisiteException(program,
                $"setsid not found, so {program} cannot be started detached: apt-get install util-linux, " +
                $"or start it yourself: nohup {program} >>{logFile} 2>&1 &", ex);
        }

        if (!result.Succeeded || !int.TryParse(result.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            throw new PrerequisiteException(program,
                $"'{spec.CommandLine}' failed (exit code {result.ExitCode}, output \"{result.StandardOutput.Trim()}\"): {result.ErrorTail()}");
        }

        return pid;
    }
}
