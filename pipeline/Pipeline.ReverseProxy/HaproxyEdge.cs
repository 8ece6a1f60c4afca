using System.Diagnostics;
using System.Net.Sockets;
using Pipeline.IO;
using Pipeline.Processes;

namespace Pipeline.ReverseProxy;

/// <summary>
/// One haproxy of our own (master-worker daemon, everything under <see cref="EdgeLayout"/>) on a loopback port in
/// front of the serving containers. <see cref="ApplyAsync"/> starts it, changes servers and weights through the
/// runtime API (no reload, no closed client connection), or reloads it seamlessly when routes or limits change.
/// </summary>
public sealed class HaproxyEdge(IProcessRunner runner, EdgeLayout layout, Action<string> log, string haproxyPath = HaproxyEdge.DefaultPath)
{
    public const string DefaultPath = "/usr/sbin/haproxy";

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(15);

    public EdgeLayout Layout => layout;

    /// <summary>The master's pid when our instance runs (from its pid file, checked against /proc), else null.</summary>
    public int? RunningMasterPid() =>
        ProcessLiveness.FromPidFile(layout.PidFile) is { } pid && HaproxyProcesses.IsOurs(pid, layout.ConfigFile) ? pid : null;

    /// <summary>The description the edge runs (its description file), or null when none was ever applied here.</summary>
    public Task<EdgeDescription?> ReadActiveDescriptionAsync(CancellationToken cancellationToken) => EdgeJson.ReadAsync(layout.DescriptionFile, cancellationToken);

    /// <summary>Runs <c>haproxy -c</c> on <paramref name="configFile"/>; throws <see cref="EdgeConfigException"/> with haproxy's words when it refuses.</summary>
    public async Task ValidateAsync(string configFile, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec(haproxyPath, "-c", "-f", configFile), cancellationToken);
        if (!result.Succeeded)
        {
            var output = (result.StandardError + result.StandardOutput).Trim();
            throw new EdgeConfigException($"haproxy -c refused {configFile}: {output}", output);
        }
    }

    /// <summary>
    /// Makes the edge route as <paramref name="desired"/> says. The description and the config (checked with
    /// <c>haproxy -c</c>, then renamed into place) are written first, so whatever haproxy does next runs this state.
    /// </summary>
    public async Task<EdgeChange> ApplyAsync(EdgeDescription desired, CancellationToken cancellationToken)
    {
        desired.ThrowIfInvalid();
        var requested = Stopwatch.GetTimestamp();
        layout.Create();
        var active = await ReadActiveDescriptionAsync(cancellationToken);
        var master = RunningMasterPid();
        if (master is not null && desired.Equals(active)) return new EdgeChange(EdgeChangeKind.Unchanged, requested, requested);

        var previousConfig = File.Exists(layout.ConfigFile) ? await File.ReadAllTextAsync(layout.ConfigFile, cancellationToken) : null;
        await PersistAsync(desired, cancellationToken);
        try
        {
            if (master is { } running && active is not null && active.HasSameShapeAs(desired))
                return await ChangeAtRuntimeAsync(active, desired, requested, cancellationToken);
            if (master is { } reloading) return await ReloadAsync(reloading, desired, requested, cancellationToken);
            return await StartAsync(desired, requested, cancellationToken);
        }
        catch when (active is not null && previousConfig is not null)
        {
            // haproxy still runs the previous state when it refused the change: so must the files a later reload reads.
            await EdgeJson.WriteAsync(layout.DescriptionFile, active, CancellationToken.None);
            await AtomicFile.WriteAllTextAsync(layout.ConfigFile, previousConfig, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Every model's REST backend's servers as <c>show stat</c> reports them now.</summary>
    public async Task<IReadOnlyList<EdgeServerStats>> ServerStatsAsync(CancellationToken cancellationToken) =>
        (await StatsAsync(cancellationToken)).Where(s => s.Slot != EdgeServerStats.BackendSlot && !s.Grpc).ToList();

    /// <summary>Every model's gRPC backend's servers (models with a gRPC port only).</summary>
    public async Task<IReadOnlyList<EdgeServerStats>> GrpcServerStatsAsync(CancellationToken cancellationToken) =>
        (await StatsAsync(cancellationToken)).Where(s => s.Slot != EdgeServerStats.BackendSlot && s.Grpc).ToList();

    /// <summary>Every model's REST backend as a whole (<see cref="EdgeServerStats.BackendSlot"/>): also counts the edge's own 503s when no server was available.</summary>
    public async Task<IReadOnlyList<EdgeServerStats>> BackendStatsAsync(CancellationToken cancellationToken) =>
        (await StatsAsync(cancellationToken)).Where(s => s.Slot == EdgeServerStats.BackendSlot && !s.Grpc).ToList();

    /// <summary>
    /// Waits until <paramref name="slot"/> of <paramref name="model"/> holds no request in progress (after its weight
    /// went to 0), on the REST backend and on the gRPC one when the model has it.
    /// </summary>
    public async Task WaitForDrainAsync(string model, string slot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var servers = (await StatsAsync(cancellationToken)).Where(s => s.Model == model && s.Slot == slot).ToList();
            if (!servers.Any(s => !s.Grpc))
                throw new EdgeProcessException($"The edge has no server {slot} for model '{model}'; check the model name against edge.json in {layout.StateDirectory}.");
            var busy = servers.Where(s => s.CurrentSessions > 0).ToList();
            if (busy.Count == 0) return;
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException(string.Join(" and ", busy.Select(s => $"{s.CurrentSessions} request(s) on {(s.Grpc ? "grpc" : "model")}_{model}/{slot}")) +
                    $" still in progress after {timeout.TotalSeconds:F0} s of draining.");
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Stops our instance: softly first (requests in flight finish), at once after 10 s. Nothing when it is not running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (RunningMasterPid() is not { } master) return;
        PosixSignal.Send(master, PosixSignal.User1);
        var soft = Stopwatch.GetTimestamp();
        var terminated = false;
        while (ProcessLiveness.IsAlive(master))
        {
            var waited = Stopwatch.GetElapsedTime(soft);
            if (!terminated && waited > TimeSpan.FromSeconds(10))
            {
                // Idle keep-alive clients would hold a soft-stopping worker until hard-stop-after.
                PosixSignal.Send(master, PosixSignal.Terminate);
                terminated = true;
            }
            if (waited > TimeSpan.FromSeconds(30)) throw new EdgeProcessException($"haproxy (pid {master}) did not stop within 30 s of SIGUSR1 and SIGTERM.");
            await Task.Delay(20, cancellationToken);
        }
        log($"edge stopped (pid {master})");
    }

    private async Task<IReadOnlyList<EdgeServerStats>> StatsAsync(CancellationToken cancellationToken) =>
        HaproxyStatCsv.Parse(await AdminAsync("show stat", cancellationToken));

    /// <summary>Error pages, candidate config checked by haproxy -c, the description, then the config renamed into place.</summary>
    private async Task PersistAsync(EdgeDescription desired, CancellationToken cancellationToken)
    {
        await EdgeErrorPages.WriteAsync(layout, desired, cancellationToken);
        await AtomicFile.WriteAllTextAsync(layout.CandidateConfigFile, HaproxyConfigRenderer.Render(desired, layout), cancellationToken);
        try
        {
            await ValidateAsync(layout.CandidateConfigFile, cancellationToken);
        }
        catch
        {
            File.Delete(layout.CandidateConfigFile);
            throw;
        }
        await EdgeJson.WriteAsync(layout.DescriptionFile, desired, cancellationToken);
        File.Move(layout.CandidateConfigFile, layout.ConfigFile, overwrite: true);
    }

    private async Task<EdgeChange> ChangeAtRuntimeAsync(EdgeDescription active, EdgeDescription desired, long requested, CancellationToken cancellationToken)
    {
        var commands = EdgeRuntimeCommands.Between(active, desired);
        if (commands.Count == 0) return new EdgeChange(EdgeChangeKind.Unchanged, requested, requested);
        // One line, so the worker applies the whole change in one go: the new server is ready before the old one drains.
        var answer = await AdminAsync(string.Join("; ", commands), cancellationToken);
        var failures = answer.Split('\n', StringSplitOptions.TrimEntries).Where(EdgeRuntimeCommands.IsFailure).ToList();
        if (failures.Count > 0)
        {
            // Put back what the runtime had, so it matches the files restored by the caller.
            await AdminAsync(string.Join("; ", EdgeRuntimeCommands.Between(desired, active)), CancellationToken.None);
            throw new EdgeProcessException($"haproxy refused the runtime change ({string.Join("; ", commands)}): {string.Join(" ", failures)}");
        }
        var applied = Stopwatch.GetTimestamp();
        log($"edge 127.0.0.1:{desired.ListenPort}: {Describe(desired)} (runtime API, no reload)");
        return new EdgeChange(EdgeChangeKind.Runtime, requested, applied);
    }

    private async Task<EdgeChange> ReloadAsync(int master, EdgeDescription desired, long requested, CancellationToken cancellationToken)
    {
        var (failedBefore, workerBefore) = HaproxyProcesses.ParseShowProc(await MasterAsync("show proc", cancellationToken));
        PosixSignal.Send(master, PosixSignal.User2);
        var deadline = Stopwatch.GetTimestamp() + (long)(ProcessTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            await Task.Delay(20, cancellationToken);
            string text;
            try
            {
                text = await MasterAsync("show proc", cancellationToken);
            }
            catch (SocketException)
            {
                continue; // the master re-executes itself and opens its socket again
            }
            var (failed, worker) = HaproxyProcesses.ParseShowProc(text);
            if (failed > failedBefore)
                throw new EdgeProcessException($"haproxy (pid {master}) could not load the new configuration and keeps the old one " +
                    $"(is {Ports(desired)} taken? choose another --local-port or --local-grpc-port). Check it with: {haproxyPath} -c -f {layout.ConfigFile}");
            if (worker is not null && worker != workerBefore && await AnswersAsync(cancellationToken))
            {
                log($"edge 127.0.0.1:{desired.ListenPort} reloaded (worker {worker}): {Describe(desired)}");
                return new EdgeChange(EdgeChangeKind.Reloaded, requested, Stopwatch.GetTimestamp());
            }
            if (Stopwatch.GetTimestamp() > deadline)
                throw new EdgeProcessException($"haproxy (pid {master}) started no new worker within {ProcessTimeout.TotalSeconds:F0} s of a reload: {text.Trim()}");
        }
    }

    private async Task<EdgeChange> StartAsync(EdgeDescription desired, long requested, CancellationToken cancellationToken)
    {
        // -W master-worker, -D daemon: the starting process exits once the master runs; -S the master's CLI.
        var start = await runner.RunAsync(new ProcessSpec(haproxyPath, "-W", "-D", "-f", layout.ConfigFile, "-S", $"{layout.MasterSocket},mode,600"), cancellationToken);
        if (!start.Succeeded)
            throw new EdgeProcessException($"haproxy did not start (exit code {start.ExitCode}): {start.ErrorTail()} " +
                $"(is {Ports(desired)} taken? choose another --local-port or --local-grpc-port)");
        var deadline = Stopwatch.GetTimestamp() + (long)(ProcessTimeout.TotalSeconds * Stopwatch.Frequency);
        while (RunningMasterPid() is null || !await AnswersAsync(cancellationToken))
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new EdgeProcessException($"haproxy started but its runtime API at {layout.AdminSocket} did not answer within {ProcessTimeout.TotalSeconds:F0} s.");
            await Task.Delay(20, cancellationToken);
        }
        log($"edge started (pid {RunningMasterPid()}) on 127.0.0.1:{desired.ListenPort}: {Describe(desired)}");
        return new EdgeChange(EdgeChangeKind.Started, requested, Stopwatch.GetTimestamp());
    }

    /// <summary>Whether the current worker answers on the admin socket (after a start or reload it binds the socket a moment after forking).</summary>
    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await AdminAsync("show info", cancellationToken)).Contains("Pid:", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private Task<string> AdminAsync(string command, CancellationToken cancellationToken) => new HaproxyCli(layout.AdminSocket).SendAsync(command, cancellationToken);

    /// <summary>The master's CLI keeps a connection open after answering (it is meant to be interactive): "quit" ends it.</summary>
    private Task<string> MasterAsync(string command, CancellationToken cancellationToken) => new HaproxyCli(layout.MasterSocket).SendAsync(command + "; quit", cancellationToken);

    private static string Ports(EdgeDescription description) =>
        string.Join(" or ", description.Routes.Where(r => r.GrpcListenPort is not null).Select(r => $"127.0.0.1:{r.GrpcListenPort}").Prepend($"127.0.0.1:{description.ListenPort}"));

    private static string Describe(EdgeDescription description) => string.Join("; ", description.Routes.Select(r =>
        $"{r.Model}{(r.GrpcListenPort is { } grpc ? $" (gRPC 127.0.0.1:{grpc})" : "")} → " + string.Join(", ", r.Servers.Select(s => $"{s.Slot} {s.Host}:{s.Port} w{s.Weight} ({s.Backend}, {s.Version})"))));
}
