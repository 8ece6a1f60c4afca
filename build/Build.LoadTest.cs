using Pipeline.Docker;
using Pipeline.Engine;
using Pipeline.OnnxRuntime;
using Pipeline.Prerequisites;
using Pipeline.Stages;

/// <summary>The load-test gate: the image Containerize built must hold the latency, error and throughput thresholds.</summary>
sealed partial class Build
{
    [Parameter("Load-test thresholds in k6 syntax (e.g. p99<50ms, p(95)<20ms, max<1s, mean<5ms, error_rate<0.001, rps>=450); every one must hold")]
    readonly string[] LoadThresholds = [.. LoadTestThresholds.Default];

    [Parameter("Load-test thresholds relative to the version in production, measured side by side in the same run (p99<=1.2x, rps>=0.95x); " +
               "with a version in production they decide latency and throughput instead of the absolute ones")]
    readonly string[] LoadRelativeThresholds = [.. LoadTestThresholds.RelativeDefault];

    [Parameter("Load test: arrival rate of the open model, in requests per second")]
    readonly double LoadRate = LoadProfile.Default.RequestsPerSecond;

    [Parameter("Load test: measured seconds at --load-rate (after the warm-up)")]
    readonly double LoadDuration = LoadProfile.Default.Duration.TotalSeconds;

    [Parameter("Load test: uncounted warm-up seconds before measuring, ramping from a tenth of --load-rate to all of it")]
    readonly double LoadWarmup = LoadProfile.Default.Warmup.TotalSeconds;

    [Parameter("Load test: most connections the generator opens to the server")]
    readonly int LoadConnections = LoadProfile.Default.MaxConnections;

    [Parameter("Load test: every Nth answer is compared with the gated model's own (1 checks all)")]
    readonly int LoadCheckEvery = LoadProfile.Default.CheckEvery;

    [Parameter("Load test: the protocol the generator speaks to the container, rest (JSON over HTTP/1.1) or grpc (ModelInfer over HTTP/2)")]
    readonly string LoadProtocol = "rest";

    AbsolutePath LoadTestDirectory => ArtifactsDirectory / "loadtest";

    Target LoadTest => _ => _
        .Description("Load-tests the serving container with an open-model generator (real test images, answers checked) and enforces --load-thresholds; reuses a passing run of the same image and settings unless --force")
        .DependsOn(Containerize)
        .Consumes(Containerize, "artifacts/container/image.json")
        .Consumes(Validate, "artifacts/gates/**")
        .Produces("artifacts/loadtest/**")
        .Executes(async (ctx, ct) =>
        {
            using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Env));
            var ort = new OrtEnvironment();
            using var registry = OpenRegistry();
            var images = new ServingImages(docker, ImageRepository, ImageRegistryCredentials, ctx.Log.WriteLine);
            var release = await GatedReleaseAsync(ct);
            var production = await LoadTestBaselines.FindAsync(registry, images, await ProductionTargetAsync(ctx.Log.WriteLine, ct), ModelName,
                release.Version, LoadTestDirectory, ctx.Log.WriteLine, ct);
            var request = new LoadTestRequest(
                await ServingImageAsync(ct), release, ModelData, LoadTestDirectory, LoadProfile, LoadThresholds, Force: ctx.Forced)
            {
                Baseline = production.Baseline,
                RelativeThresholds = LoadRelativeThresholds,
                CandidateServing = production.CandidateServing,
                ApiKeys = await ServingKeyMountAsync(ct),
            };
            var outcome = await LoadTestProgressView.RunAsync(ctx, view =>
                new LoadTestStage(docker, ort, TimeProvider.System, ctx.Log.WriteLine, view).RunAsync(request, ct));
            ctx.AppendStepSummary($"{outcome.Provenance}\n\n" + await File.ReadAllTextAsync(outcome.MarkdownPath, ct));
            outcome.RequirePassed();
        });

    LoadProfile LoadProfile => LoadProfile.Default with
    {
        RequestsPerSecond = LoadRate,
        Duration = TimeSpan.FromSeconds(LoadDuration),
        Warmup = TimeSpan.FromSeconds(LoadWarmup),
        MaxConnections = LoadConnections,
        CheckEvery = LoadCheckEvery,
        Protocol = LoadProtocol.ToLowerInvariant() switch
        {
            "rest" => Pipeline.Stages.LoadProtocol.Rest,
            "grpc" => Pipeline.Stages.LoadProtocol.Grpc,
            _ => throw new ArgumentException($"--load-protocol '{LoadProtocol}' is not a protocol; use rest or grpc."),
        },
    };
}
