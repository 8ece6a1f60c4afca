using System.Diagnostics;
using System.Globalization;
using Pipeline.IO;
using Pipeline.Prerequisites;
using Pipeline.Processes;

namespace Pipeline.Monitoring;

/// <summary>
/// The pipeline's own Prometheus on 127.0.0.1: started detached (it outlives the build, like dockerd), everything under
/// <see cref="PrometheusLayout"/>, configuration rendered from a <see cref="PrometheusDescription"/> and checked by
/// promtool before it replaces the one in force, applied with POST /-/reload.
/// </summary>
public sealed class LocalPrometheus(
    IProcessRunner runner,
    PrometheusLayout layout,
    Action<string> log,
    string prometheusPath = LocalPrometheus.DefaultPath,
    string promtoolPath = PromtoolChecker.DefaultPath)
{
    public const string DefaultPath = "/usr/bin/prometheus";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public PrometheusLayout Layout => layout;

    /// <summary>A client for the instance on <paramref name="port"/>; the caller disposes the HttpClient it wraps.</summary>
    public static PrometheusClient Client(int port, out HttpClient http)
    {
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = ProbeTimeout };
        return new PrometheusClient(http);
    }

    /// <summary>The pid of our instance when it runs (pid file checked against /proc), else null.</summary>
    public int? RunningPid() =>
        ProcessLiveness.FromPidFile(layout.PidFile) is { } pid && IsOurs(pid) ? pid : null;

    /// <summary>The description the configuration in force was rendered from, or null when there is none.</summary>
    public async Task<PrometheusDescription?> ReadActiveDescriptionAsync(CancellationToken cancellationToken) =>
        File.Exists(layout.ConfigFile) ? PrometheusConfigRenderer.ReadDescription(await File.ReadAllTextAsync(layout.ConfigFile, cancellationToken)) : null;

    /// <summary>
    /// Makes our Prometheus run <paramref name="description"/>: starts it when nothing answers on its port, reloads it
    /// when the configuration or a rule file changed, and does nothing otherwise. Anything else answering on the port
    /// is an error that names --prometheus-port.
    /// </summary>
    public async Task<PrometheusChange> EnsureRunningAsync(PrometheusDescription description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(description);
        description.ThrowIfInvalid();
        var client = Client(description.Port, out var http);
        using (http)
        {
            var owner = await ProbeAsync(client, description.Port, cancellationToken);
            if (owner is PortOwner.Foreign foreign)
                throw new PrometheusProcessException(
                    $"127.0.0.1:{description.Port} is taken by something that is not the pipeline's Prometheus ({foreign.What}). " +
                    $"Stop it, or choose another port with --prometheus-port (default {PrometheusDescription.DefaultPort}).");

            var changed = await WriteCheckedFilesAsync(description, cancellationToken);
            if (owner is PortOwner.Ours ours)
            {
                if (!ours.Ready && RunningPid() is { } starting)
                    await WaitUntilReadyAsync(client, description, starting, cancellationToken);
                if (!changed) return PrometheusChange.Unchanged;
                await client.ReloadAsync(cancellationToken);
                log($"prometheus reloaded on 127.0.0.1:{description.Port} (edges {Edges(description)})");
                return PrometheusChange.Reloaded;
            }

            await StartAsync(client, description, cancellationToken);
            return PrometheusChange.Started;
        }
    }

    /// <summary>
    /// Polls /api/v1/targets until <paramref name="until"/> holds for the active targets; a timeout lists every target
    /// with its health and last error, which is what tells a wrong port from a server that is down.
    /// </summary>
    public static async Task<IReadOnlyList<PrometheusTarget>> WaitForTargetsAsync(
        PrometheusDescription description, Func<IReadOnlyList<PrometheusTarget>, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = Client(description.Port, out var http);
        using (http)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                var targets = await client.TargetsAsync(cancellationToken);
                if (until(targets)) return targets;
                if (Stopwatch.GetTimestamp() > deadline)
                    throw new TimeoutException(
                        $"Prometheus on 127.0.0.1:{description.Port} did not reach the expected targets within {timeout.TotalSeconds:F0} s; it has " +
                        (targets.Count == 0 ? "none" : string.Join("; ", targets)) +
                        ". A serving container is found through its Docker labels (io.mlops.role=serving) and its published port 8080/tcp.");
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>Stops our instance with SIGTERM (it flushes its TSDB head) and waits for it to exit; nothing when it is not running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (RunningPid() is not { } pid) return;
        var kill = await runner.RunAsync(new ProcessSpec("kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture)), cancellationToken);
        if (!kill.Succeeded && ProcessLiveness.IsAlive(pid))
            throw new PrometheusProcessException($"kill -TERM {pid} failed (exit code {kill.ExitCode}): {kill.ErrorTail()}");
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (ProcessLiveness.IsAlive(pid))
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new PrometheusProcessException($"prometheus (pid {pid}) did not exit within 30 s of SIGTERM: {LogTail()}");
            await Task.Delay(50, cancellationToken);
        }
        log($"prometheus stopped (pid {pid})");
    }

    /// <summary>The last lines of the instance's log, for error messages.</summary>
    public string LogTail(int lines = 10) =>
        File.Exists(layout.LogFile) ? string.Join('\n', File.ReadLines(layout.LogFile).TakeLast(lines)) : "(no log)";

    /// <summary>
    /// Writes the rule copies and the configuration when they differ from those in force, each checked by promtool
    /// first and renamed into place, so a refused file never replaces a working one. Returns whether anything changed.
    /// </summary>
    private async Task<bool> WriteCheckedFilesAsync(PrometheusDescription description, CancellationToken cancellationToken)
    {
        layout.Create();
        var promtool = new PromtoolChecker(runner, promtoolPath);
        var changed = false;
        foreach (var ruleFile in description.RuleFiles)
        {
            var text = await File.ReadAllTextAsync(ruleFile, cancellationToken);
            var copy = layout.RuleCopy(ruleFile);
            if (File.Exists(copy) && await File.ReadAllTextAsync(copy, cancellationToken) == text) continue;
            // promtool judges rule files by their extension-free content; the candidate keeps .yml for readable messages.
            var candidate = copy + ".candidate.yml";
            await ReplaceCheckedAsync(candidate, copy, text, c => promtool.CheckRulesAsync([c], cancellationToken), cancellationToken);
            changed = true;
        }

        var config = PrometheusConfigRenderer.Render(description, layout);
        if (!changed && File.Exists(layout.ConfigFile) && await File.ReadAllTextAsync(layout.ConfigFile, cancellationToken) == config)
            return false;
        await ReplaceCheckedAsync(layout.CandidateConfigFile, layout.ConfigFile, config, c => promtool.CheckConfigAsync(c, cancellationToken), cancellationToken);
        return true;
    }

    private static async Task ReplaceCheckedAsync(string candidate, string target, string text, Func<string, Task> check, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAllTextAsync(candidate, text, cancellationToken);
        try
        {
            await check(candidate);
            File.Move(candidate, target, overwrite: true);
        }
        finally
        {
            File.Delete(candidate);
        }
    }

    private async Task StartAsync(PrometheusClient client, PrometheusDescription description, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            $"--config.file={layout.ConfigFile}",
            $"--web.listen-address=127.0.0.1:{description.Port}",
            $"--storage.tsdb.path={layout.DataDirectory}",
            "--storage.tsdb.retention.time=2d",
            // POST /-/reload applies a new configuration without a restart (and without losing the TSDB head).
            "--web.enable-lifecycle",
        ];
        int pid;
        try
        {
            pid = await new DetachedDaemonLauncher(runner).StartAsync(prometheusPath, arguments, layout.LogFile, cancellationToken);
        }
        catch (PrerequisiteException ex)
        {
            throw new PrometheusProcessException($"prometheus could not be started: {ex.Message} (./build.sh Setup installs Debian's prometheus package)", ex);
        }

        await AtomicFile.WriteAllTextAsync(layout.PidFile, pid.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken);
        await WaitUntilReadyAsync(client, description, pid, cancellationToken);
        log($"prometheus started (pid {pid}) on 127.0.0.1:{description.Port}, state {layout.StateDirectory}, edges {Edges(description)}");
    }

    private async Task WaitUntilReadyAsync(PrometheusClient client, PrometheusDescription description, int pid, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (await ProbeAsync(client, description.Port, cancellationToken) is not PortOwner.Ours { Ready: true })
        {
            if (!ProcessLiveness.IsAlive(pid))
                throw new PrometheusProcessException(
                    $"prometheus (pid {pid}) exited at start (is 127.0.0.1:{description.Port} taken? choose another --prometheus-port). " +
                    $"Last lines of {layout.LogFile}:\n{LogTail()}");
            if (Stopwatch.GetTimestamp() > deadline)
                throw new PrometheusProcessException(
                    $"prometheus (pid {pid}) was not ready on 127.0.0.1:{description.Port} within {StartTimeout.TotalSeconds:F0} s. Last lines of {layout.LogFile}:\n{LogTail()}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Who answers on the port: nobody; our instance (its --config.file is our layout's); or something else. While our
    /// process starts (it answers 503 until its TSDB is open) it counts as ours but not ready.
    /// </summary>
    private async Task<PortOwner> ProbeAsync(PrometheusClient client, int port, CancellationToken cancellationToken)
    {
        var starting = RunningPid() is not null;
        try
        {
            var flags = await client.FlagsAsync(cancellationToken);
            var configFile = flags.TryGetValue("config.file", out var file) ? file : "";
            return Path.GetFullPath(configFile, layout.StateDirectory) == Path.GetFullPath(layout.ConfigFile)
                ? new PortOwner.Ours(Ready: true)
                : new PortOwner.Foreign($"a Prometheus with --config.file={configFile}");
        }
        catch (HttpRequestException)
        {
            return starting ? new PortOwner.Ours(Ready: false) : new PortOwner.Nobody();
        }
        catch (PrometheusQueryException ex)
        {
            return starting ? new PortOwner.Ours(Ready: false) : new PortOwner.Foreign(ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return starting ? new PortOwner.Ours(Ready: false) : new PortOwner.Foreign($"it did not answer GET /api/v1/status/flags within {ProbeTimeout.TotalSeconds:F0} s");
        }
    }

    /// <summary>Whether <paramref name="pid"/> runs prometheus with our configuration file (a recycled pid does not).</summary>
    private bool IsOurs(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return commandLine.Contains($"--config.file={layout.ConfigFile}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Edges(PrometheusDescription description) =>
        description.EdgePorts.Count == 0 ? "none" : string.Join(", ", description.EdgePorts.Select(p => $"127.0.0.1:{p}"));

    /// <summary>Who answers on the Prometheus port.</summary>
    private abstract record PortOwner
    {
        public sealed record Nobody : PortOwner;

        public sealed record Ours(bool Ready) : PortOwner;

        public sealed record Foreign(string What) : PortOwner;
    }
}
