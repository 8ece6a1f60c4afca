namespace Pipeline.Docker.Tests;

[Collection(DockerEngineCollection.Name)]
public sealed class ContainerLifecycleTests(DockerEngineFixture engine)
{
    private const long MemoryLimit = 64L * 1024 * 1024;

    // PID 1 traps SIGTERM (as a well-behaved server does) and exits 42, so the exit code proves the signal
    // arrived and was handled, rather than the engine killing it after the stop timeout (137).
    private const string ServerScript = """
        trap 'echo "got SIGTERM"; exit 42' TERM
        id -u
        grep -E '^(CapEff|NoNewPrivs):' /proc/self/status
        if touch /written-to-root 2>/dev/null; then echo "root fs is writable" >&2; else echo "root fs is read-only" >&2; fi
        mkdir -p /tmp/www && echo "served from tmpfs" > /tmp/www/index.html
        echo serving
        httpd -f -p 8080 -h /tmp/www &
        wait
        """;

    [Fact]
    public async Task Hardened_server_serves_on_a_random_loopback_port_logs_reports_stats_and_stops_on_sigterm()
    {
        var client = engine.Client;
        var name = engine.UniqueName("server");
        var created = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage)
            {
                Name = name,
                Command = ["sh", "-c", ServerScript],
                Ports = [new PortMapping(8080)],
                Labels = new Dictionary<string, string> { ["org.example.role"] = "server" },
                User = "65534:65534",
                ReadOnlyRootFilesystem = true,
                TmpfsMounts = new Dictionary<string, string> { ["/tmp"] = "rw,size=16m" },
                MemoryLimitBytes = MemoryLimit,
                DropAllCapabilities = true,
                NoNewPrivileges = true,
            },
            CancellationToken.None);

        await client.StartContainerAsync(created.Id, CancellationToken.None);
        var running = await client.InspectContainerAsync(name, CancellationToken.None);
        Assert.Equal(created.Id, running.Id);
        Assert.Equal(name, running.Name);
        Assert.True(running.State.Running);
        Assert.Equal("running", running.State.Status);
        Assert.Null(running.State.HealthStatus);
        Assert.Equal("server", running.Labels["org.example.role"]);
        Assert.Equal(engine.RunId, running.Labels[DockerEngineFixture.RunLabelKey]);
        var published = Assert.Single(running.Ports);
        Assert.Equal("127.0.0.1", published.HostIp);
        Assert.InRange(published.HostPort, 1, 65535);
        Assert.Equal(published.HostPort, running.HostPort(8080));
        Assert.NotNull(running.IpAddress);

        var page = await Polling.GetWhenUpAsync($"http://127.0.0.1:{published.HostPort}/", TimeSpan.FromSeconds(15));
        Assert.Equal("served from tmpfs\n", page);

        var logs = await Polling.LogsUntilAsync(
            client, name, l => l.StandardOutput.EndsWith("serving\n", StringComparison.Ordinal) && l.StandardError.Length > 0, TimeSpan.FromSeconds(10));
        Assert.Equal("65534\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\nserving\n", logs.StandardOutput);
        Assert.Equal("root fs is read-only\n", logs.StandardError);
        // The engine reads the two streams separately: their relative order in Combined is not guaranteed.
        Assert.Equal((logs.StandardOutput + logs.StandardError).Split('\n').Order(), logs.Combined.Split('\n').Order());

        var stats = await client.StatsAsync(name, CancellationToken.None);
        Assert.Equal(MemoryLimit, stats.MemoryLimitBytes);
        Assert.InRange(stats.MemoryUsageBytes, 1, MemoryLimit);
        Assert.InRange(stats.MemoryWorkingSetBytes, 1, stats.MemoryUsageBytes);
        Assert.InRange(stats.CpuPercent!.Value, 0, 100.0 * stats.OnlineCpus);
        Assert.True(stats.OnlineCpus >= 1);
        Assert.Equal(2, stats.Pids); // sh and httpd
        var memoryOnly = await client.StatsAsync(name, sampleCpu: false, CancellationToken.None);
        Assert.Null(memoryOnly.CpuPercent);
        Assert.Equal(MemoryLimit, memoryOnly.MemoryLimitBytes);
        Assert.InRange(memoryOnly.MemoryWorkingSetBytes, 1, memoryOnly.MemoryUsageBytes);

        await client.StopContainerAsync(name, TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(42, await client.WaitContainerAsync(name, CancellationToken.None));
        var stopped = await client.InspectContainerAsync(name, CancellationToken.None);
        Assert.False(stopped.State.Running);
        Assert.Equal("exited", stopped.State.Status);
        Assert.Equal(42, stopped.State.ExitCode);
        // Printed seconds after everything else, so certainly the last line.
        Assert.Equal("got SIGTERM\n", (await client.GetLogsAsync(name, tail: 1, CancellationToken.None)).Combined);
        var noStats = await Assert.ThrowsAsync<DockerException>(() => client.StatsAsync(name, CancellationToken.None));
        Assert.Contains("not running", noStats.Message);

        await client.StopContainerAsync(name, TimeSpan.FromSeconds(1), CancellationToken.None); // already stopped: no error
        await client.RemoveContainerAsync(name, force: false, CancellationToken.None);
        var gone = await Assert.ThrowsAsync<DockerException>(() => client.InspectContainerAsync(name, CancellationToken.None));
        Assert.True(gone.IsNotFound);
    }

    [Fact]
    public async Task Waiting_for_health_fails_at_once_for_a_container_that_exits_and_names_its_output()
    {
        var client = engine.Client;
        var created = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage)
            {
                Command = ["sh", "-c", "echo model file missing >&2; exit 3"],
                Healthcheck = HealthcheckSpec.Shell("true") with { Interval = TimeSpan.FromSeconds(30) },
            },
            CancellationToken.None);
        await client.StartContainerAsync(created.Id, CancellationToken.None);
        await client.WaitContainerAsync(created.Id, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DockerException>(
            () => client.WaitUntilHealthyAsync(created.Id, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100), CancellationToken.None));

        Assert.Equal($"Container '{created.Id}' stopped (exit code 3) before it was healthy. Last log lines:{Environment.NewLine}model file missing", error.Message);
    }

    [Fact]
    public async Task Health_check_override_reports_healthy_and_unhealthy()
    {
        var client = engine.Client;
        static HealthcheckSpec Fast(HealthcheckSpec check) =>
            check with { Interval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromSeconds(2), Retries = 1 };
        var healthy = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage)
            {
                Command = ["sh", "-c", "echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"],
                Healthcheck = Fast(HealthcheckSpec.Shell("wget -q -O /dev/null http://127.0.0.1:8080/")),
            },
            CancellationToken.None);
        var unhealthy = await client.CreateContainerAsync(
            new ContainerSpec(engine.BaseImage)
            {
                Command = ["sleep", "60"],
                Healthcheck = Fast(HealthcheckSpec.Exec("false")),
            },
            CancellationToken.None);
        await client.StartContainerAsync(healthy.Id, CancellationToken.None);
        await client.StartContainerAsync(unhealthy.Id, CancellationToken.None);

        var good = await client.WaitUntilHealthyAsync(healthy.Id, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100), CancellationToken.None);
        var bad = await Polling.InspectUntilAsync(client, unhealthy.Id, c => c.State.HealthStatus == "unhealthy", TimeSpan.FromSeconds(20));
        var refused = await Assert.ThrowsAsync<DockerException>(
            () => client.WaitUntilHealthyAsync(unhealthy.Id, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100), CancellationToken.None));

        Assert.Equal("healthy", good.State.HealthStatus);
        Assert.Equal("unhealthy", bad.State.HealthStatus);
        Assert.StartsWith($"Container '{unhealthy.Id}' is unhealthy. Last log lines:", refused.Message);
        await client.RemoveContainerAsync(healthy.Id, force: true, CancellationToken.None);
        await client.RemoveContainerAsync(unhealthy.Id, force: true, CancellationToken.None);
    }
}
