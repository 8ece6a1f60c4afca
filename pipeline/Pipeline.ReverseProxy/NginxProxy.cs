using System.Diagnostics;
using Pipeline.IO;
using Pipeline.Processes;

namespace Pipeline.ReverseProxy;

/// <summary>
/// One nginx instance of our own (prefix, config, pid file, logs and temp files under <see cref="NginxLayout"/>),
/// listening on loopback in front of one upstream. <see cref="ApplyAsync"/> starts it the first time and reloads it
/// gracefully afterwards: new workers take new connections while old ones finish the requests they hold.
/// </summary>
public sealed class NginxProxy(IProcessRunner runner, NginxLayout layout, Action<string> log, string nginxPath = NginxProxy.DefaultPath)
{
    public const string DefaultPath = "/usr/sbin/nginx";

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(10);

    public NginxLayout Layout => layout;

    /// <summary>The master's pid when our instance runs (from its pid file, checked against /proc), else null.</summary>
    public int? RunningMasterPid() =>
        ProcessLiveness.FromPidFile(layout.PidFile) is { } pid && NginxProcessTable.IsNginx(pid) ? pid : null;

    /// <summary>The description the current configuration file was rendered from, or null when there is none.</summary>
    public async Task<ProxyDescription?> ReadActiveDescriptionAsync(CancellationToken cancellationToken) =>
        File.Exists(layout.ConfigFile) ? NginxConfigRenderer.ReadDescription(await File.ReadAllTextAsync(layout.ConfigFile, cancellationToken)) : null;

    /// <summary>Runs <c>nginx -t</c> on <paramref name="configFile"/>; throws <see cref="ProxyConfigException"/> with nginx's words when it refuses.</summary>
    public async Task ValidateAsync(string configFile, CancellationToken cancellationToken)
    {
        layout.Create();
        var result = await RunNginxAsync(cancellationToken, "-t", "-q", "-c", configFile);
        if (!result.Succeeded)
        {
            var output = (result.StandardError + result.StandardOutput).Trim();
            throw new ProxyConfigException($"nginx -t refused {configFile}: {output}", output);
        }
    }

    /// <summary>
    /// Renders <paramref name="description"/>, checks it with <c>nginx -t</c>, puts it in place with a rename (a refused
    /// or half-written file never replaces the running one), then starts nginx or reloads it and waits until new
    /// workers run the new configuration.
    /// </summary>
    public async Task<ProxyChange> ApplyAsync(ProxyDescription description, CancellationToken cancellationToken)
    {
        layout.Create();
        var text = NginxConfigRenderer.Render(description, layout);
        await AtomicFile.WriteAllTextAsync(layout.CandidateConfigFile, text, cancellationToken);
        try
        {
            await ValidateAsync(layout.CandidateConfigFile, cancellationToken);
        }
        catch
        {
            File.Delete(layout.CandidateConfigFile);
            throw;
        }

        var previous = File.Exists(layout.ConfigFile) ? await File.ReadAllTextAsync(layout.ConfigFile, cancellationToken) : null;
        File.Move(layout.CandidateConfigFile, layout.ConfigFile, overwrite: true);
        var accessLogOffset = File.Exists(layout.AccessLog) ? new FileInfo(layout.AccessLog).Length : 0;
        var requested = Stopwatch.GetTimestamp();
        if (RunningMasterPid() is { } master)
        {
            var retiring = NginxProcessTable.Workers(master);
            long applied;
            try
            {
                var reload = await RunNginxAsync(cancellationToken, "-c", layout.ConfigFile, "-s", "reload");
                if (!reload.Succeeded)
                    throw new ProxyProcessException($"nginx -s reload failed (exit code {reload.ExitCode}): {reload.ErrorTail()}");
                applied = await WaitForNewWorkersAsync(master, retiring, cancellationToken);
            }
            catch when (previous is not null)
            {
                // The master keeps running the old configuration when it cannot apply a new one: so must the file.
                await AtomicFile.WriteAllTextAsync(layout.ConfigFile, previous, CancellationToken.None);
                throw;
            }
            log($"proxy reloaded: 127.0.0.1:{description.ListenPort} → {description.UpstreamHost}:{description.UpstreamPort} ({description.Backend}); " +
                $"{retiring.Count} old worker(s) finishing their requests");
            return new ProxyChange(false, requested, applied, retiring, accessLogOffset);
        }

        var start = await RunNginxAsync(cancellationToken, "-c", layout.ConfigFile);
        if (!start.Succeeded)
            throw new ProxyProcessException($"nginx did not start (exit code {start.ExitCode}): {start.ErrorTail()} " +
                $"(is 127.0.0.1:{description.ListenPort} taken? choose another --local-port)");
        var startedMaster = await WaitForMasterAsync(cancellationToken);
        var started = await WaitForNewWorkersAsync(startedMaster, new HashSet<int>(), cancellationToken);
        log($"proxy started (pid {startedMaster}): 127.0.0.1:{description.ListenPort} → {description.UpstreamHost}:{description.UpstreamPort} ({description.Backend})");
        return new ProxyChange(true, requested, started, new HashSet<int>(), accessLogOffset);
    }

    /// <summary>Waits until the workers that served the previous configuration have finished their requests and exited.</summary>
    public async Task WaitForRetiredWorkersAsync(ProxyChange change, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (change.RetiringWorkers.Any(pid => ProcessLiveness.IsAlive(pid)))
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"nginx's old workers {string.Join(", ", change.RetiringWorkers.Where(pid => ProcessLiveness.IsAlive(pid)))} " +
                    $"still hold requests after {timeout.TotalSeconds:F0} s.");
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Stops our instance gracefully (<c>nginx -s quit</c>: requests in flight finish); nothing when it is not running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (RunningMasterPid() is not { } master) return;
        var quit = await RunNginxAsync(cancellationToken, "-c", layout.ConfigFile, "-s", "quit");
        if (!quit.Succeeded) throw new ProxyProcessException($"nginx -s quit failed (exit code {quit.ExitCode}): {quit.ErrorTail()}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (ProcessLiveness.IsAlive(master))
        {
            if (DateTime.UtcNow > deadline) throw new ProxyProcessException($"nginx (pid {master}) did not stop within 30 s of nginx -s quit.");
            await Task.Delay(50, cancellationToken);
        }
        log($"proxy stopped (pid {master})");
    }

    /// <summary>The last lines of the instance's error log, for error messages.</summary>
    public string ErrorLogTail(int lines = 10) =>
        File.Exists(layout.ErrorLog) ? string.Join('\n', File.ReadLines(layout.ErrorLog).TakeLast(lines)) : "(no error log)";

    private async Task<int> WaitForMasterAsync(CancellationToken cancellationToken)
    {
        // The starting process exits as soon as it has forked the master, which writes the pid file a moment later.
        var deadline = DateTime.UtcNow + ProcessTimeout;
        int? pid;
        while ((pid = RunningMasterPid()) is null)
        {
            if (DateTime.UtcNow > deadline)
                throw new ProxyProcessException($"nginx started but wrote no pid to {layout.PidFile} within {ProcessTimeout.TotalSeconds:F0} s: {ErrorLogTail()}");
            await Task.Delay(20, cancellationToken);
        }
        return pid.Value;
    }

    /// <summary>A reload is done when the master runs a worker that was not there before; a refused reload starts none.</summary>
    private async Task<long> WaitForNewWorkersAsync(int master, IReadOnlySet<int> before, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ProcessTimeout;
        while (!NginxProcessTable.Workers(master).Except(before).Any())
        {
            if (!ProcessLiveness.IsAlive(master)) throw new ProxyProcessException($"nginx (pid {master}) exited: {ErrorLogTail()}");
            if (DateTime.UtcNow > deadline)
                throw new ProxyProcessException($"nginx (pid {master}) started no worker with the new configuration within {ProcessTimeout.TotalSeconds:F0} s: {ErrorLogTail()}");
            await Task.Delay(10, cancellationToken);
        }
        return Stopwatch.GetTimestamp();
    }

    private Task<ProcessResult> RunNginxAsync(CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(new ProcessSpec(nginxPath, ["-p", layout.StateDirectory + "/", "-e", layout.ErrorLog, .. arguments]), cancellationToken);
}
