namespace Pipeline.Prerequisites;

/// <summary>
/// Makes a Docker engine answer on the configured endpoint: finds one running, else (as root on
/// Debian/Ubuntu) installs docker.io when dockerd is missing and starts it (systemctl when systemd
/// runs, otherwise a detached dockerd), then waits until it answers /_ping.
/// </summary>
public sealed class DockerEngineInstaller(
    DockerEnginePing ping,
    AptPackageInstaller apt,
    DetachedDaemonLauncher launcher,
    IProcessRunner runner,
    HostSystem host,
    Func<string, string?> environment,
    DockerDaemonOptions? options = null,
    Action<string>? log = null) : IPrerequisite
{
    public const string DebianPackage = "docker.io";

    private readonly DockerDaemonOptions settings = options ?? DockerDaemonOptions.Default;

    public string Name => "Docker engine";

    public async Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
    {
        var endpoint = ping.Endpoint;
        var status = await ping.PingAsync(cancellationToken).ConfigureAwait(false);
        if (status.IsReachable)
        {
            return Result(PrerequisiteStatus.AlreadyPresent, $"answers on {endpoint}", status, pid: null);
        }

        if (!endpoint.IsUnixSocket)
        {
            throw new PrerequisiteException(Name,
                $"No Docker engine answers on {DockerEndpoint.HostVariable}={endpoint} ({status.Problem}): " +
                $"start the engine there, or unset {DockerEndpoint.HostVariable} to use {DockerEndpoint.DefaultSocketPath}");
        }

        if (!host.CanInstallWithApt)
        {
            throw new PrerequisiteException(Name,
                $"No Docker engine answers on {endpoint.UnixSocketPath} ({status.Problem}; {host.WhyNotApt}, so not starting one): " +
                $"install Docker (https://docs.docker.com/engine/install/) and start it, or set {DockerEndpoint.HostVariable}");
        }

        log?.Invoke($"No Docker engine answers on {endpoint} ({status.Problem})");
        var installed = await EnsureDockerdInstalledAsync(cancellationToken).ConfigureAwait(false);
        var (pid, howToDiagnose) = await StartAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var started = await WaitUntilReachableAsync(endpoint, pid, howToDiagnose, cancellationToken).ConfigureAwait(false);
        var what = installed ? $"installed {DebianPackage} and started" : "started";
        return Result(
            installed ? PrerequisiteStatus.Installed : PrerequisiteStatus.Started,
            $"{what} the engine on {endpoint} ({howToDiagnose})",
            started,
            pid);
    }

    // dockerd may come from docker-ce or a manual install; installing docker.io beside it would conflict.
    private async Task<bool> EnsureDockerdInstalledAsync(CancellationToken cancellationToken)
    {
        if (ExecutableSearch.Find("dockerd", environment) is { } existing)
        {
            log?.Invoke($"dockerd is installed at {existing}");
            return false;
        }

        log?.Invoke($"dockerd not found on PATH: installing {DebianPackage}");
        await apt.InstallAsync([DebianPackage], cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<(int? Pid, string HowToDiagnose)> StartAsync(DockerEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (ProcessLiveness.FromPidFile(settings.PidFile) is { } running)
        {
            log?.Invoke($"dockerd (pid {running}, from {settings.PidFile}) is already running: waiting for it to answer");
            return (running, $"pid {running} from {settings.PidFile}; see its log");
        }

        if (host.SystemdRunning)
        {
            var start = new ProcessSpec("systemctl", "start", "docker");
            log?.Invoke($"Running {start.CommandLine}");
            var result = await runner.RunAsync(start, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new PrerequisiteException(Name,
                    $"'{start.CommandLine}' failed with exit code {result.ExitCode}: {result.ErrorTail()}. " +
                    "Read `journalctl -u docker`, fix the cause and run: sudo systemctl start docker");
            }

            return (null, "systemd unit docker; log: journalctl -u docker");
        }

        var dockerd = ExecutableSearch.Find("dockerd", environment) ?? "dockerd";
        var pid = await launcher.StartAsync(dockerd, ["--host", endpoint.DockerHost], settings.LogFile, cancellationToken)
            .ConfigureAwait(false);
        log?.Invoke($"Started {dockerd} (pid {pid}), log {settings.LogFile}");
        return (pid, $"dockerd pid {pid}, log {settings.LogFile}");
    }

    private async Task<DockerEngineStatus> WaitUntilReachableAsync(
        DockerEndpoint endpoint, int? pid, string howToDiagnose, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.StartTimeout;
        while (true)
        {
            var status = await ping.PingAsync(cancellationToken).ConfigureAwait(false);
            if (status.IsReachable)
            {
                return status;
            }

            // A daemon that died will never answer: say so now with its last words instead of after the timeout.
            if (pid is { } id && !ProcessLiveness.IsAlive(id))
            {
                throw new PrerequisiteException(Name,
                    $"dockerd (pid {id}) exited before answering on {endpoint}. Last lines of {settings.LogFile}: " +
                    $"{LogTail.Read(settings.LogFile)} -- fix the cause and rerun Setup");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new PrerequisiteException(Name,
                    $"The Docker engine did not answer on {endpoint} within {settings.StartTimeout.TotalSeconds:0.#} s " +
                    $"({status.Problem}; {howToDiagnose}): read the log, fix the cause and rerun Setup");
            }

            await Task.Delay(settings.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private PrerequisiteResult Result(PrerequisiteStatus status, string message, DockerEngineStatus engine, int? pid)
    {
        var details = new Dictionary<string, string>
        {
            ["endpoint"] = ping.Endpoint.DockerHost,
            ["version"] = engine.Version ?? "unknown",
            ["apiVersion"] = engine.ApiVersion ?? "unknown",
        };
        if (pid is { } id)
        {
            details["pid"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            details["log"] = settings.LogFile;
        }

        return new PrerequisiteResult(Name, status, message, details);
    }
}
