using System.Diagnostics;
using Pipeline.Docker;
using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>The container now serving, what it replaced, and what the switch measured.</summary>
public sealed record SwitchResult(ServingSlot Serving, ServingSlot? Replaced, SwitchMeasurement Measurement);

/// <summary>
/// One blue/green switch: start the new version beside the active one, wait until it is ready, smoke-test it directly,
/// point the proxy at it with a graceful reload, check through the proxy that it answers, let nginx's old workers
/// finish, then stop the old container (SIGTERM: the server drains itself). Before the switch a failure removes the
/// new container and the old one never stops serving; after it, a failure switches the proxy back.
/// </summary>
public sealed class BlueGreenSwitch(DockerClient docker, NginxProxy proxy, ModelSmokeTest smoke, LocalDeployOptions options, Action<string> log)
{
    public async Task<SwitchResult> RunAsync(LocalDeploymentState state, string version, string image, string referenceModelPath, CancellationToken cancellationToken)
    {
        var color = DeploymentLabels.Next(state.Active?.Color);
        var name = $"{options.DeploymentName}-{color}";
        // The active container has the other color, so anything under this name is a leftover of an earlier attempt.
        foreach (var leftover in state.Containers.Where(c => c.Name == name))
            await docker.RemoveContainerAsync(leftover.ContainerId, force: true, cancellationToken);

        ServingContainer container;
        try
        {
            container = await ServingContainer.StartAsync(docker, image, name, log, cancellationToken,
                labels: DeploymentLabels.For(options.DeploymentName, color, version));
        }
        catch (DockerException e)
        {
            throw new DeployFailedException($"{name} could not be started from {image}: {e.Message} {state.Describe()} keeps serving.", e);
        }
        catch (ServingContainerExitedException e)
        {
            throw new DeployFailedException(
                $"{name} ({version}) failed before the switch, so it never got traffic: {e.Message}\n{state.Describe()} keeps serving; {name} was removed.", e);
        }
        var keep = false;
        try
        {
            await CheckBeforeSwitchAsync(container, state, version, referenceModelPath, cancellationToken);
            var description = new ProxyDescription(options.ListenPort, "127.0.0.1", container.BaseAddress.Port, name) { MaxBodyBytes = options.MaxBodyBytes };
            ProxyChange change;
            try
            {
                change = await proxy.ApplyAsync(description, cancellationToken);
            }
            catch (Exception e) when (e is ProxyConfigException or ProxyProcessException)
            {
                throw new DeployFailedException($"The proxy did not switch to {name}: {e.Message} {state.Describe()} keeps serving; {name} was removed.", e);
            }

            double switchMilliseconds;
            try
            {
                switchMilliseconds = await VerifyThroughProxyAsync(version, change, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await SwitchBackAsync(state, change);
                throw new DeployFailedException($"After the switch to {name} the proxy did not answer with {version}: {e.Message} " +
                    $"Switched back: {state.Describe()} serves. Logs of {name}:\n{await container.LogTailAsync(CancellationToken.None)}", e);
            }

            await WaitForOldWorkersAsync(change, cancellationToken);
            var window = await AccessLogWindow.ReadAsync(proxy.Layout.AccessLog, change.AccessLogOffset, cancellationToken);
            foreach (var old in state.Containers.Where(c => c.Name != name)) await RetireAsync(old, cancellationToken);
            keep = true;
            var measurement = new SwitchMeasurement(switchMilliseconds, window.Requests, window.Failed);
            log($"switched 127.0.0.1:{options.ListenPort} to {name} ({version}) in {switchMilliseconds:F0} ms (reload to first answer of {version}); " +
                $"{window.Requests} requests served during the switch, {window.Failed} failed");
            return new SwitchResult(new ServingSlot(container.Id, name, color, version, container.BaseAddress.Port, true), state.Active, measurement);
        }
        finally
        {
            if (!keep) await container.DisposeAsync();
        }
    }

    private async Task CheckBeforeSwitchAsync(ServingContainer container, LocalDeploymentState state, string version, string referenceModelPath, CancellationToken cancellationToken)
    {
        using var direct = new HttpClient { BaseAddress = container.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var client = new OpenInferenceClient(direct, options.ModelName);
        try
        {
            await container.WaitUntilReadyAsync(client, options.ReadyTimeout, cancellationToken);
            await smoke.RunAsync(client, version, referenceModelPath, options.Data, options.SmokeSamples, container.LogTailAsync, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var logs = e.Message.Contains("Logs:", StringComparison.Ordinal) ? "" : $" Logs:\n{await container.LogTailAsync(CancellationToken.None)}";
            throw new DeployFailedException(
                $"{container.Name} ({version}) failed before the switch, so it never got traffic: {e.Message}{logs}\n" +
                $"{state.Describe()} keeps serving; {container.Name} was removed.", e);
        }
    }

    /// <summary>Polls the model's metadata through the proxy; returns milliseconds from the reload to the first answer naming <paramref name="version"/>.</summary>
    private async Task<double> VerifyThroughProxyAsync(string version, ProxyChange change, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(options.VerifyTimeout.TotalSeconds * Stopwatch.Frequency);
        string last = "no answer";
        while (true)
        {
            // A fresh connection each time: a pooled one may still belong to an old worker, which answers with the old version.
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{options.ListenPort}"),
                Timeout = TimeSpan.FromSeconds(5),
            };
            try
            {
                var versions = await new OpenInferenceClient(http, options.ModelName).ModelVersionsAsync(cancellationToken);
                if (versions.Contains(version)) return Stopwatch.GetElapsedTime(change.RequestedTimestamp).TotalMilliseconds;
                last = $"versions [{string.Join(", ", versions)}]";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
            {
                last = e.Message;
            }
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"no answer with {version} within {options.VerifyTimeout.TotalSeconds:F0} s (last: {last}).");
            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task SwitchBackAsync(LocalDeploymentState state, ProxyChange change)
    {
        if (state.Active is not null && state.Proxy is { } previous)
        {
            var back = await proxy.ApplyAsync(previous, CancellationToken.None);
            await proxy.WaitForRetiredWorkersAsync(back, options.DrainTimeout, CancellationToken.None);
            log($"switched the proxy back to {state.Active.Name} ({state.Active.Version})");
        }
        else if (change.Started)
        {
            // A first deploy has nothing to go back to: an endpoint answering with nothing beats one answering wrongly.
            await proxy.StopAsync(CancellationToken.None);
        }
    }

    private async Task WaitForOldWorkersAsync(ProxyChange change, CancellationToken cancellationToken)
    {
        try
        {
            await proxy.WaitForRetiredWorkersAsync(change, options.DrainTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            log($"warning: {e.Message} Stopping the old container anyway; its server drains for up to 25 s on SIGTERM.");
        }
    }

    private async Task RetireAsync(ServingSlot old, CancellationToken cancellationToken)
    {
        if (old.Running)
        {
            await docker.StopContainerAsync(old.ContainerId, TimeSpan.FromSeconds(30), cancellationToken);
            var exit = (await docker.InspectContainerAsync(old.ContainerId, cancellationToken)).State.ExitCode;
            log($"stopped {old.Name} ({old.Version}) with SIGTERM: exit code {exit}");
        }
        await docker.RemoveContainerAsync(old.ContainerId, force: true, cancellationToken);
    }
}
