namespace Pipeline.Prerequisites.Tests;

public sealed class DockerEngineInstallerTests : IAsyncLifetime
{
    private readonly TempDirectory work = new();
    private readonly string bin;
    private readonly List<TinyUnixHttpServer> servers = [];

    public DockerEngineInstallerTests() => bin = work.Subdirectory("bin");

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 disposes test classes through IAsyncLifetime, not IAsyncDisposable.
    public async Task DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        work.Dispose();
    }

    private string SocketPath => work.File("docker.sock");

    private DockerDaemonOptions Options => new()
    {
        LogFile = work.File("dockerd.log"),
        PidFile = work.File("docker.pid"),
        StartTimeout = TimeSpan.FromSeconds(20),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    private DockerEngineInstaller Installer(FakeProcessRunner runner, HostSystem host, DockerDaemonOptions? options = null, DockerEndpoint? endpoint = null) =>
        new(
            new DockerEnginePing(endpoint ?? DockerEndpoint.Unix(SocketPath), TimeSpan.FromSeconds(2)),
            new AptPackageInstaller(runner),
            new DetachedDaemonLauncher(runner),
            runner,
            host,
            name => name == "PATH" ? bin : null,
            options ?? Options);

    private void StartEngine() => servers.Add(TinyUnixHttpServer.Docker(SocketPath, "20.10.24+dfsg1", "1.41"));

    private string InstallFakeDockerd()
    {
        var dockerd = Path.Combine(bin, "dockerd");
        File.WriteAllText(dockerd, "#!/bin/sh\n");
        File.SetUnixFileMode(dockerd, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return dockerd;
    }

    /// <summary>setsid "starts dockerd": the engine socket starts answering and a live pid is returned.</summary>
    private FakeProcessRunner DockerdStartsOnSetsid(FakeProcessRunner runner) => runner.On("setsid", ["-f"], _ =>
    {
        StartEngine();
        return FakeProcessRunner.Ok($"{Environment.ProcessId}\n");
    });

    [Fact]
    public async Task Running_engine_is_already_present_and_nothing_is_run()
    {
        StartEngine();
        var runner = new FakeProcessRunner();

        var result = await Installer(runner, Hosts.UserDebian).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Equal("20.10.24+dfsg1", result.Detail("version"));
        Assert.Equal("1.41", result.Detail("apiVersion"));
        Assert.Equal($"unix://{SocketPath}", result.Detail("endpoint"));
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Not_root_fails_with_install_instructions_and_runs_nothing()
    {
        var runner = new FakeProcessRunner();

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => Installer(runner, Hosts.UserDebian).EnsureAsync(CancellationToken.None));

        Assert.Equal(
            $"No Docker engine answers on {SocketPath} ({SocketPath} does not exist; not running as root, so not starting one): " +
            "install Docker (https://docs.docker.com/engine/install/) and start it, or set DOCKER_HOST",
            error.Message);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Other_distribution_fails_without_trying_apt()
    {
        var runner = new FakeProcessRunner();

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => Installer(runner, Hosts.RootFedora).EnsureAsync(CancellationToken.None));

        Assert.Contains("not Debian or Ubuntu, so not starting one", error.Message);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Unreachable_tcp_endpoint_points_at_DOCKER_HOST()
    {
        var runner = new FakeProcessRunner();

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() =>
            Installer(runner, Hosts.RootDebian, endpoint: DockerEndpoint.Parse("tcp://127.0.0.1:1")).EnsureAsync(CancellationToken.None));

        Assert.StartsWith("No Docker engine answers on DOCKER_HOST=tcp://127.0.0.1:1 (", error.Message);
        Assert.EndsWith("start the engine there, or unset DOCKER_HOST to use /var/run/docker.sock", error.Message);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Missing_dockerd_is_installed_with_apt_then_started_detached()
    {
        var runner = DockerdStartsOnSetsid(new FakeProcessRunner()
            .On("apt-get", ["install"], _ =>
            {
                InstallFakeDockerd();
                return FakeProcessRunner.Ok();
            }));

        var result = await Installer(runner, Hosts.RootDebian).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Installed, result.Status);
        Assert.Equal($"installed docker.io and started the engine on unix://{SocketPath} (dockerd pid {Environment.ProcessId}, log {Options.LogFile})", result.Message);
        Assert.Equal("20.10.24+dfsg1", result.Detail("version"));
        Assert.Equal(Options.LogFile, result.Detail("log"));
        Assert.Equal("apt-get install -y -o DPkg::Lock::Timeout=300 docker.io", runner.Calls[0].CommandLine);
        var start = runner.Calls[1];
        Assert.Equal(["-f", "sh", "-c"], start.Arguments.Take(3));
        Assert.Equal([Options.LogFile, Path.Combine(bin, "dockerd"), "--host", $"unix://{SocketPath}"], start.Arguments.TakeLast(4));
    }

    [Fact]
    public async Task Installed_dockerd_is_started_without_apt()
    {
        InstallFakeDockerd();
        var runner = DockerdStartsOnSetsid(new FakeProcessRunner());

        var result = await Installer(runner, Hosts.RootDebian).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Started, result.Status);
        Assert.Equal(["setsid"], runner.Calls.Select(c => c.FileName));
    }

    [Fact]
    public async Task Dockerd_that_dies_fails_at_once_with_the_end_of_its_log()
    {
        InstallFakeDockerd();
        File.WriteAllText(Options.LogFile, "level=info msg=\"Starting up\"\nfailed to start daemon: Devices cgroup isn't mounted\n");
        var runner = new FakeProcessRunner().On("setsid", ["-f"], _ => FakeProcessRunner.Ok($"{int.MaxValue}\n"));

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => Installer(runner, Hosts.RootDebian).EnsureAsync(CancellationToken.None));

        Assert.Equal(
            $"dockerd (pid {int.MaxValue}) exited before answering on unix://{SocketPath}. Last lines of {Options.LogFile}: " +
            "level=info msg=\"Starting up\" | failed to start daemon: Devices cgroup isn't mounted -- fix the cause and rerun Setup",
            error.Message);
    }

    [Fact]
    public async Task Dockerd_that_never_answers_times_out_naming_its_log()
    {
        InstallFakeDockerd();
        var runner = new FakeProcessRunner().On("setsid", ["-f"], _ => FakeProcessRunner.Ok($"{Environment.ProcessId}\n"));
        var options = Options with { StartTimeout = TimeSpan.FromMilliseconds(400) };

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => Installer(runner, Hosts.RootDebian, options).EnsureAsync(CancellationToken.None));

        Assert.StartsWith($"The Docker engine did not answer on unix://{SocketPath} within 0.4 s ({SocketPath} does not exist; " +
                          $"dockerd pid {Environment.ProcessId}, log {Options.LogFile})", error.Message);
    }

    [Fact]
    public async Task With_systemd_the_docker_unit_is_started()
    {
        InstallFakeDockerd();
        var runner = new FakeProcessRunner().On("systemctl", ["start", "docker"], _ =>
        {
            StartEngine();
            return FakeProcessRunner.Ok();
        });

        var result = await Installer(runner, Hosts.RootDebian with { SystemdRunning = true }).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Started, result.Status);
        Assert.Contains("journalctl -u docker", result.Message);
        Assert.Equal(["systemctl start docker"], runner.CommandLines);
    }

    [Fact]
    public async Task Failing_systemctl_points_at_the_journal()
    {
        InstallFakeDockerd();
        var runner = new FakeProcessRunner().On("systemctl", ["start"], _ =>
            FakeProcessRunner.Fail(1, "Job for docker.service failed because the control process exited with error code."));

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(runner, Hosts.RootDebian with { SystemdRunning = true }).EnsureAsync(CancellationToken.None));

        Assert.Contains("'systemctl start docker' failed with exit code 1: Job for docker.service failed", error.Message);
        Assert.Contains("journalctl -u docker", error.Message);
    }

    [Fact]
    public async Task Dockerd_already_starting_is_waited_for_not_started_twice()
    {
        InstallFakeDockerd();
        File.WriteAllText(Options.PidFile, $"{Environment.ProcessId}\n");
        var runner = new FakeProcessRunner();
        var lateStart = Task.Delay(300).ContinueWith(_ => StartEngine(), TaskScheduler.Default);

        var result = await Installer(runner, Hosts.RootDebian).EnsureAsync(CancellationToken.None);
        await lateStart;

        Assert.Equal(PrerequisiteStatus.Started, result.Status);
        Assert.Empty(runner.Calls);
    }
}
