using System.Diagnostics;
using Pipeline.Docker;
using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>The container now serving, what it replaced, and what the switch measured.</summary>
public sealed record SwitchResult(ServingSlot Serving, ServingSlot? Replaced, SwitchMeasurement Measurement);

/// <summary>
/// One blue/green switch behind the edge: start the new version beside the active one, wait until it is ready,
/// smoke-test it directly, then in one runtime change give its slot the new address and weight 256 and the old slot
/// weight 0 (drain), check through the edge that it answers, wait until the old slot holds no request, stop the old
/// container (SIGTERM: the server drains itself) and put its slot in maintenance. Before the switch a failure removes
/// the new container and the old one never stops serving; after it, a failure switches the route back.
/// </summary>
public sealed class BlueGreenSwitch(DockerClient docker, HaproxyEdge edge, ModelSmokeTest smoke, LocalDeployOptions options, Action<string> log)
{
    /// <summary>The weight of the slot that serves alone; a canary splits it (e.g. 230 / 26) with <see cref="HaproxyEdge.ApplyAsync"/>.</summary>
    public const int FullWeight = 256;

    public async Task<SwitchResult> RunAsync(LocalDeploymentState state, string version, string image, string referenceModelPath, CancellationToken cancellationToken)
    {
        var (container, color) = await StartCheckedAsync(state, version, image, referenceModelPath, cancellationToken);
        var name = container.Name;
        var keep = false;
        try
        {
            var serving = EdgeServers.For(container, color, FullWeight, version);
            var previous = state.Route(options.ModelName);
            var draining = previous?.Servers.FirstOrDefault(s => s.Slot != color && s.Weight > 0) is { } old ? old with { Weight = 0 } : null;
            // REST and gRPC backends get the same servers in one change, so both endpoints switch to the new version together.
            var desired = LocalEdgePlan.Edge(options, state.Edge, options.Tls ? edge.Layout.TlsPemFile : null)
                .WithRoute(LocalEdgePlan.Route(options, draining is null ? [serving] : [serving, draining]));
            var before = state.EdgeRunning ? await CountersAsync(cancellationToken) : (0, 0);
            EdgeChange change;
            try
            {
                change = await edge.ApplyAsync(desired, cancellationToken);
            }
            catch (Exception e) when (e is EdgeConfigException or EdgeProcessException)
            {
                throw new DeployFailedException($"The edge did not switch to {name}: {e.Message} {state.Describe()} keeps serving; {name} was removed.", e);
            }
            // A start or reload begins a worker whose counters start at zero.
            if (change.Kind is not EdgeChangeKind.Runtime) before = (0, 0);

            double switchMilliseconds;
            try
            {
                switchMilliseconds = await VerifyThroughEdgeAsync(version, change, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await SwitchBackAsync(state, desired);
                throw new DeployFailedException($"After the switch to {name} the edge did not answer with {version}: {e.Message} " +
                    $"Switched back: {state.Describe()} serves. Logs of {name}:\n{await container.LogTailAsync(CancellationToken.None)}", e);
            }

            if (draining is not null) await WaitForDrainAsync(draining, cancellationToken);
            var after = await CountersAsync(cancellationToken);
            foreach (var retired in state.Containers.Where(c => c.Name != name)) await RetireAsync(retired, cancellationToken);
            // The old slot goes to maintenance at the placeholder address: nothing is routed to its stopped container.
            await edge.ApplyAsync(desired.WithRoute(desired.Route(options.ModelName)! with { Servers = [serving] }), cancellationToken);
            keep = true;
            var measurement = new SwitchMeasurement(switchMilliseconds, after.Requests - before.Requests, after.Failed - before.Failed);
            var grpc = desired.Route(options.ModelName)!.GrpcListenPort is { } grpcPort ? $" (gRPC 127.0.0.1:{grpcPort})" : "";
            log($"switched 127.0.0.1:{options.ListenPort}/v2/models/{options.ModelName}{grpc} to {name} ({version}) in {switchMilliseconds:F0} ms " +
                $"({change.Kind.ToString().ToLowerInvariant()} edge change to first answer of {version}); " +
                $"{measurement.RequestsDuringSwitch} requests served during the switch, {measurement.FailedDuringSwitch} failed");
            return new SwitchResult(new ServingSlot(container.Id, name, color, version, container.BaseAddress.Port, true), state.Active, measurement);
        }
        finally
        {
            if (!keep) await container.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts <paramref name="version"/> in the slot the active container does not hold, waits until it is ready and
    /// smoke-tests it directly: a container that fails never gets traffic and is removed. The caller owns the container.
    /// </summary>
    public async Task<(ServingContainer Container, string Color)> StartCheckedAsync(LocalDeploymentState state, string version, string image,
        string referenceModelPath, CancellationToken cancellationToken)
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
                labels: DeploymentLabels.For(options.DeploymentName, color, version), keys: options.ApiKeys);
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
        try
        {
            await CheckBeforeSwitchAsync(container, state, version, referenceModelPath, cancellationToken);
            return (container, color);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private async Task CheckBeforeSwitchAsync(ServingContainer container, LocalDeploymentState state, string version, string referenceModelPath, CancellationToken cancellationToken)
    {
        using var direct = new HttpClient { BaseAddress = container.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var client = new OpenInferenceClient(direct, options.ModelName, options.ApiKeys?.Key);
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

    /// <summary>Polls the model's metadata through the edge; returns milliseconds from the edge change to the first answer naming <paramref name="version"/>.</summary>
    private async Task<double> VerifyThroughEdgeAsync(string version, EdgeChange change, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(options.VerifyTimeout.TotalSeconds * Stopwatch.Frequency);
        string last = "no answer";
        while (true)
        {
            // A fresh connection each time: after a reload a kept-alive one may still belong to the old worker.
            using var http = new HttpClient(EdgeTls.Trusting(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }, options.Tls ? edge.Layout : null))
            {
                BaseAddress = EdgeTls.Endpoint(options),
                Timeout = TimeSpan.FromSeconds(5),
            };
            try
            {
                var versions = await new OpenInferenceClient(http, options.ModelName, options.ApiKeys?.Key).ModelVersionsAsync(cancellationToken);
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

    /// <summary>Puts the model's route back as it was; a model the edge did not route before loses its route (the edge stops when it was the only one).</summary>
    private async Task SwitchBackAsync(LocalDeploymentState state, EdgeDescription desired)
    {
        if (state.Route(options.ModelName) is { } previous)
        {
            await edge.ApplyAsync(desired.WithRoute(previous), CancellationToken.None);
            log($"switched the edge back to {state.Describe()}");
        }
        else if (desired.Routes.Count > 1)
        {
            await edge.ApplyAsync(desired with { Routes = desired.Routes.Where(r => r.Model != options.ModelName).ToList() }, CancellationToken.None);
            log($"removed the edge's route for {options.ModelName}; the other models' routes are as they were");
        }
        else
        {
            // A first deploy has nothing to go back to: an endpoint answering with nothing beats one answering wrongly.
            await edge.StopAsync(CancellationToken.None);
        }
    }

    internal async Task WaitForDrainAsync(EdgeServer draining, CancellationToken cancellationToken)
    {
        try
        {
            await edge.WaitForDrainAsync(options.ModelName, draining.Slot, options.DrainTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            log($"warning: {e.Message} Stopping the old container anyway; its server drains for up to 25 s on SIGTERM.");
        }
    }

    /// <summary>The model backend's requests and 5xx answers so far (the edge's own 502/503/504 included).</summary>
    private async Task<(long Requests, long Failed)> CountersAsync(CancellationToken cancellationToken)
    {
        var backend = (await edge.BackendStatsAsync(cancellationToken)).FirstOrDefault(b => b.Model == options.ModelName);
        return backend is null ? (0, 0) : (backend.TotalSessions, backend.Responses5xx);
    }

    internal async Task RetireAsync(ServingSlot old, CancellationToken cancellationToken)
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
