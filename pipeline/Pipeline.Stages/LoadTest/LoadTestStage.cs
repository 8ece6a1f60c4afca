using Pipeline.Docker;
using Pipeline.LoadTesting.Baselines;
using Pipeline.LoadTesting.Reports;
using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.LoadTesting.Scheduling;
using Pipeline.LoadTesting.Thresholds;
using Pipeline.OnnxRuntime;

namespace Pipeline.Stages;

/// <param name="Image">What Containerize built (artifacts/container/image.json).</param>
/// <param name="Release">What Validate chose; its model file answers the checked requests in process.</param>
/// <param name="Thresholds">k6-style expressions, e.g. <c>p99&lt;50ms</c>; all must hold.</param>
/// <param name="Force">Measure even when a passing verdict for the same image, thresholds and profile exists.</param>
public sealed record LoadTestRequest(
    ContainerImage Image,
    ReleaseManifest Release,
    ModelSource Data,
    string OutputDirectory,
    LoadProfile Profile,
    IReadOnlyList<string> Thresholds,
    bool Force = false)
{
    /// <summary>The version in production to measure side by side, or null for a first release.</summary>
    public LoadTestBaseline? Baseline { get; init; }

    /// <summary>Thresholds relative to the baseline, e.g. <c>p99&lt;=1.2x</c>; they decide latency and throughput when there is one.</summary>
    public IReadOnlyList<string> RelativeThresholds { get; init; } = [];

    /// <summary>
    /// The candidate is already the version in production: it passed against whatever served before it, so a passing
    /// verdict of this image is reused whatever it was compared with (comparing it with itself would add nothing).
    /// </summary>
    public bool CandidateServing { get; init; }

    /// <summary>The key file the load-tested containers mount and the key every request presents; null tests them without authentication.</summary>
    public ServingKeyMount? ApiKeys { get; init; }
}

/// <summary>The production version to compare with: its serving image and its model file (whose answers its container must give).</summary>
public sealed record LoadTestBaseline(string Version, string ImageReference, string ModelPath);

/// <summary>The verdict and, when this run measured, its report (also written as report.json, report.md and report.html).</summary>
/// <param name="Report">Null when an earlier passing measurement of the same image and settings was reused.</param>
public sealed record LoadTestOutcome(LoadTestVerdict Verdict, LoadTestReport? Report, string OutputDirectory)
{
    public string MarkdownPath => Path.Combine(OutputDirectory, LoadTestReportWriter.MarkdownFileName);

    public bool Reused => Report is null;

    public long ChecksPassed => Verdict.ChecksPassed;

    public long MemoryAfterLoadBytes => Verdict.MemoryAfterLoadBytes;

    /// <summary>One line saying whether the figures were measured now or reused, and when they were measured.</summary>
    public string Provenance => Reused
        ? $"Reused: this passing load test of image `{Verdict.ImageId}` was measured at {Verdict.MeasuredAt:u} with the same thresholds and profile; run with --force to measure again."
        : $"Measured at {Verdict.MeasuredAt:u} on image `{Verdict.ImageId}`.";

    /// <summary>Throws with the threshold table when any threshold failed.</summary>
    public void RequirePassed()
    {
        if (Verdict.Passed || Report is null) return;
        var relative = Report.Baseline?.Thresholds ?? [];
        var failed = Report.Thresholds.Where(t => !t.Passed).Select(t => t.Threshold.Expression)
            .Concat(relative.Where(t => !t.Passed).Select(t => t.Threshold.Expression));
        throw new LoadThresholdsFailedException(
            $"Load-test thresholds failed: {string.Join(", ", failed)}.\n{ThresholdTable.Render(Report.Thresholds)}" +
            (Report.Baseline is { } baseline ? $"against {baseline.Name}, measured side by side:\n{ThresholdTable.Render(relative)}" : "") +
            $"See {Path.Combine(OutputDirectory, LoadTestReportWriter.HtmlFileName)}; change the limits with --load-thresholds " +
            "(absolute) or --load-relative-thresholds (against production) if they are wrong.");
    }
}

public sealed class LoadThresholdsFailedException(string message) : Exception(message);

/// <summary>
/// Load-tests the serving image as it will run in production (hardened container, published on loopback): an
/// open-model generator sends real test images at a fixed arrival rate, latency is measured from each request's
/// scheduled time, sampled answers are checked against the gated model, and the thresholds decide.
/// </summary>
public sealed class LoadTestStage(DockerClient docker, OrtEnvironment ort, TimeProvider time, Action<string> log, ILoadTestProgress? progress = null)
{
    public async Task<LoadTestOutcome> RunAsync(LoadTestRequest request, CancellationToken cancellationToken)
    {
        // Everything that can be wrong with the request is found before a container starts.
        var thresholds = ThresholdParser.ParseAll(request.Thresholds);
        var relative = RelativeThresholdParser.ParseAll(request.RelativeThresholds);
        request.Profile.Validate();
        var compare = request.Baseline is not null && relative.Count > 0;
        if (!request.Force && await LoadTestVerdict.ReadAsync(request.OutputDirectory, cancellationToken) is { } earlier && earlier.PassedFor(request) &&
            File.Exists(Path.Combine(request.OutputDirectory, LoadTestReportWriter.MarkdownFileName)))
        {
            log($"reused the passing load test of {request.Image.Reference} ({request.Image.ImageId}) measured at {earlier.MeasuredAt:u}: " +
                $"same image, thresholds and profile ({earlier.Requests} requests, {earlier.RequestsPerSecond:0} req/s, p99 {earlier.P99Milliseconds:0.###} ms); --force measures again");
            return new LoadTestOutcome(earlier, null, request.OutputDirectory);
        }
        LoadTestVerdict.Delete(request.OutputDirectory);

        var workload = await ProtocolWorkload.CreateAsync(ort, request.Release.ModelPath, request, cancellationToken);
        var baselineWorkload = compare ? await ProtocolWorkload.CreateAsync(ort, request.Baseline!.ModelPath, request, cancellationToken) : null;

        await using var container = await StartVerifiedAsync(request.Image.Reference, request.Release.ModelName, request.Release.Version, request.ApiKeys, cancellationToken);
        await using var baselineContainer = compare
            ? await StartVerifiedAsync(request.Baseline!.ImageReference, request.Release.ModelName, request.Baseline.Version, request.ApiKeys, cancellationToken)
            : null;

        var profile = request.Profile;
        log($"open model: {profile.RequestsPerSecond:0.#} requests/s for {profile.Duration.TotalSeconds:0.#} s after a {profile.Warmup.TotalSeconds:0.#} s warm-up, " +
            $"{(profile.Protocol == LoadProtocol.Grpc ? "gRPC ModelInfer" : "REST JSON")}, ≤ {profile.MaxConnections} connections, {workload.DistinctRequests} distinct test images, every {profile.CheckEvery}th answer checked" +
            (compare ? $"; production {request.Baseline!.Version} loaded the same way at the same time" : ""));
        var (scenario, client) = workload.Bind(container, profile.MaxConnections);
        using var _ = client;
        var baselineBound = baselineContainer is null ? default : baselineWorkload!.Bind(baselineContainer, profile.MaxConnections);
        using var __ = baselineBound.Client;
        var counted = new CountingScenario(scenario);
        var (result, baselineResult, machine) = await RunWithProgressAsync(counted, baselineBound.Scenario, profile, cancellationToken);

        var memory = await container.MemoryWorkingSetAsync(cancellationToken);
        foreach (var serving in new[] { container, baselineContainer }.OfType<ServingContainer>())
        {
            var exitCode = await serving.StopAsync(cancellationToken);
            if (exitCode != 0)
                log($"warning: {serving.Name} exited with {exitCode} on SIGTERM after the load test. Logs:\n{await serving.LogTailAsync(cancellationToken)}");
        }

        var report = Verdict(request, thresholds, relative, result, baselineResult) with { Machine = machine };
        await LoadTestReportWriter.WriteAsync(report, request.OutputDirectory, cancellationToken);
        var checkedOk = workload.Checked - result.ErrorKinds.Where(e => e.Key is InferenceWorkload.WrongAnswer or InferenceWorkload.UnreadableAnswer).Sum(e => e.Value);
        log($"{result.Requests} requests in {result.Duration.TotalSeconds:0.#} s ({result.RequestsPerSecond:0} req/s), {result.Errors} errors, {result.Dropped} dropped; " +
            $"p50 {result.Latency.P50.TotalMilliseconds:0.###} ms, p99 {result.Latency.P99.TotalMilliseconds:0.###} ms, max {result.Latency.Max.TotalMilliseconds:0.###} ms; " +
            $"{checkedOk} of {workload.Checked} checked answers equal the gated model's; container memory after load {memory / 1_000_000.0:F1} MB; {machine.Describe()}");
        if (report.Note is { } note) log(note);
        log(ThresholdTable.Render(report.Thresholds));
        if (report.Baseline is { } baseline) log($"against {baseline.Name}:\n{ThresholdTable.Render(baseline.Thresholds)}");
        var verdict = new LoadTestVerdict(request.Image.ImageId, request.Image.Reference, request.Release.Version, LoadTestVerdict.Settings(request),
            LoadTestVerdict.Describe(profile), report.Passed, time.GetUtcNow(), result.Requests, result.RequestsPerSecond,
            result.Latency.P99.TotalMilliseconds, result.ErrorRate, checkedOk, memory);
        await verdict.WriteAsync(request.OutputDirectory, cancellationToken);
        return new LoadTestOutcome(verdict, report, request.OutputDirectory);
    }

    /// <summary>
    /// With a baseline, the relative thresholds decide latency and throughput, since noise on the machine moves
    /// both sides alike; absolute error-rate thresholds still decide (errors are not noise). Without one, the
    /// absolute thresholds decide, and the report says so.
    /// </summary>
    private static LoadTestReport Verdict(LoadTestRequest request, IReadOnlyList<Threshold> thresholds, IReadOnlyList<RelativeThreshold> relative,
        LoadTestResult result, LoadTestResult? baselineResult)
    {
        var title = $"Load test: {request.Release.ModelName} {request.Release.Version}";
        if (baselineResult is null)
            return new LoadTestReport(title, result, ThresholdEvaluator.Evaluate(result, thresholds))
            {
                Note = relative.Count == 0 ? null
                    : "No other version of this model in production to compare with (a first release), so the absolute thresholds (--load-thresholds) decide.",
            };

        var deciding = thresholds.Where(t => t.Metric == ThresholdMetric.ErrorRate).ToList();
        var name = $"production {request.Baseline!.Version}";
        return new LoadTestReport(title, result, ThresholdEvaluator.Evaluate(result, deciding))
        {
            Baseline = new BaselineComparison(name, baselineResult, ThresholdEvaluator.Evaluate(result, baselineResult, relative)),
            Informational = ThresholdEvaluator.Evaluate(result, thresholds.Except(deciding)),
            Note = $"Compared with {name}, loaded side by side in the same run: the relative thresholds (--load-relative-thresholds) " +
                   "decide latency and throughput, absolute error-rate thresholds still apply.",
        };
    }

    private async Task<ServingContainer> StartVerifiedAsync(string image, string modelName, string version, ServingKeyMount? keys,
        CancellationToken cancellationToken)
    {
        var container = await ServingContainer.StartAsync(docker, image, $"mlops-loadtest-{Guid.NewGuid():N}"[..24], log,
            cancellationToken, labels: new Dictionary<string, string> { ["io.mlops.role"] = "load-test", ["io.mlops.model-version"] = version }, keys: keys);
        try
        {
            using var probe = new HttpClient { BaseAddress = container.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var client = new OpenInferenceClient(probe, modelName, keys?.Key);
            await container.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(60), cancellationToken);
            var versions = await client.ModelVersionsAsync(cancellationToken);
            if (!versions.Contains(version))
                throw new InvalidOperationException($"{image} serves versions [{string.Join(", ", versions)}], not {version}: run ./build.sh Containerize again.");
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private async Task<(LoadTestResult Candidate, LoadTestResult? Baseline, MachineLoad Machine)> RunWithProgressAsync(CountingScenario scenario,
        LoadScenario? baseline, LoadProfile profile, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        using var stopTicker = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ticker = progress is null ? Task.CompletedTask : TickAsync(stopTicker.Token);
        try
        {
            if (baseline is not null)
            {
                var both = await new SideBySideRunner(time).RunAsync(scenario.Run, baseline, profile.ToOpenModelOptions(), cancellationToken);
                return (both.Candidate, both.Baseline, both.Machine);
            }
            var monitor = MachineLoadMonitor.Start();
            var alone = await new OpenModelRunner(time).RunAsync(scenario.Run, profile.ToOpenModelOptions(), cancellationToken);
            return (alone, null, monitor.Stop());
        }
        finally
        {
            await stopTicker.CancelAsync();
            await ticker;
            Report();
        }

        async Task TickAsync(CancellationToken token)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            try { while (await timer.WaitForNextTickAsync(token)) Report(); }
            catch (OperationCanceledException) { }
        }

        void Report()
        {
            var elapsed = time.GetElapsedTime(start);
            progress?.Report(new LoadTestProgressSample(elapsed < profile.Total ? elapsed : profile.Total, profile.Total, elapsed < profile.Warmup,
                scenario.Completed, scenario.Errors, scenario.InFlight));
        }
    }

    /// <summary>Counts what the live display shows; the recorder keeps the authoritative figures.</summary>
    private sealed class CountingScenario(LoadScenario inner)
    {
        private long _started;
        private long _completed;
        private long _errors;

        public long Completed => Interlocked.Read(ref _completed);
        public long Errors => Interlocked.Read(ref _errors);
        public long InFlight => Interlocked.Read(ref _started) - Completed;

        public async Task<RequestOutcome> Run(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            try
            {
                var outcome = await inner(cancellationToken);
                if (outcome.IsError) Interlocked.Increment(ref _errors);
                return outcome;
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }
}
