using Pipeline.Docker;
using Pipeline.Engine;
using Pipeline.OnnxRuntime;
using Pipeline.Prerequisites;
using Pipeline.Stages;

/// <summary>The load-test gate: the image Containerize built must hold the latency, error and throughput thresholds.</summary>
sealed partial class Build
{
    [Parameter("Load-test thresholds, k6 syntax (p99<50ms, p(95)<20ms, max<1s, error_rate<0.001, rps>=500); every one must hold")]
    readonly string[] LoadThresholds = ["p99<50ms", "error_rate<0.001", "rps>=450"];

    [Parameter("Load test: arrival rate of the open model, in requests per second")]
    readonly double LoadRate = 500;

    [Parameter("Load test: measured seconds at --load-rate (after the warm-up)")]
    readonly double LoadDuration = 20;

    [Parameter("Load test: uncounted warm-up seconds before measuring, ramping from a tenth of --load-rate to all of it")]
    readonly double LoadWarmup = 5;

    [Parameter("Load test: most connections the generator opens to the server")]
    readonly int LoadConnections = 64;

    [Parameter("Load test: every Nth answer is compared with the gated model's own (1 checks all)")]
    readonly int LoadCheckEvery = 10;

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
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            var request = new LoadTestRequest(
                await ServingImageAsync(ct),
                await GatedReleaseAsync(ct),
                DatasetDirectory, LoadTestDirectory, LoadProfile, LoadThresholds, Force: ctx.Forced);
            var outcome = await LoadTestProgressView.RunAsync(ctx, view =>
                new LoadTestStage(docker, ort, TimeProvider.System, ctx.Log.WriteLine, view).RunAsync(request, ct));
            ctx.AppendStepSummary($"{outcome.Provenance}\n\n" + await File.ReadAllTextAsync(outcome.MarkdownPath, ct));
            outcome.RequirePassed();
        });

    LoadProfile LoadProfile => new(LoadRate, TimeSpan.FromSeconds(LoadDuration))
    {
        Warmup = TimeSpan.FromSeconds(LoadWarmup),
        MaxConnections = LoadConnections,
        CheckEvery = LoadCheckEvery,
    };
}
