using Pipeline.Docker;
using Pipeline.Engine;
using Pipeline.Monitoring;
using Pipeline.OnnxRuntime;
using Pipeline.Processes;
using Pipeline.Rollouts.Canary;
using Pipeline.Stages;

/// <summary>Progressive delivery (issue #15): --strategy blue-green | canary | ab, the canary's steps and analysis, A/B tests and Promote.</summary>
sealed partial class Build
{
    const string BlueGreenStrategy = "blue-green";
    const string CanaryStrategy = "canary";
    const string AbStrategy = "ab";

    [Parameter("Deploy: how the new version takes traffic: blue-green (all at once after a smoke test), canary (steps with metric analysis between them), ab (a fixed split for --ab-seconds, then a report; Promote finishes it)")]
    readonly string Strategy = BlueGreenStrategy;

    [Parameter("Canary: the canary's share of traffic at each step, in percent, ending at 100")]
    readonly string CanarySteps = CanaryPlanner.DefaultSteps;

    [Parameter("Canary: how long each step lasts before its analysis decides, in seconds")]
    readonly int CanaryStepSeconds = 30;

    [Parameter("Canary: k6-style thresholds every analysis checks on the canary (success_rate, error_rate, pNN latency)")]
    readonly string[] CanaryThresholds = ["success_rate>=0.999", "p99<20ms"];

    [Parameter("Canary: fewest requests the canary must answer in a step for its analysis to pass (fewer is inconclusive, which aborts)")]
    readonly int CanaryMinRequests = 50;

    [Parameter("Canary and A/B: synthetic requests per second of test rows sent through the stable endpoint while they run (Flagger's load tester); 0 relies on real traffic")]
    readonly double AnalysisLoadRps = 50;

    [Parameter("A/B: the new version's share of traffic, in percent")]
    readonly int AbWeight = 50;

    [Parameter("A/B: how long both versions serve before the report, in seconds")]
    readonly int AbSeconds = 60;

    [Parameter("Kubernetes canary: the Prometheus that scrapes the cluster's serving pods (default: http://127.0.0.1:<prometheus-port>)")]
    readonly string? PrometheusUrl;

    /// <summary>The canary plan from the parameters; every problem with them is reported at once, before anything changes.</summary>
    CanaryPlan CanaryPlanOrThrow()
    {
        var (plan, problems) = CanaryPlanner.Plan(CanarySteps, CanaryStepSeconds, CanaryThresholds, CanaryMinRequests);
        if (AnalysisLoadRps < 0) problems = [.. problems, $"--analysis-load-rps {AnalysisLoadRps}: a request rate cannot be negative; 0 sends none."];
        return problems.Count == 0 ? plan! : throw new ArgumentException("The canary cannot start:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>Where canary analyses read the versions' metrics.</summary>
    PrometheusClient AnalysisPrometheus(out HttpClient http)
    {
        if (PrometheusUrl is null) return LocalPrometheus.Client(PrometheusPort, out http);
        if (!Uri.TryCreate(PrometheusUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--prometheus-url '{PrometheusUrl}' is not an http(s) URL; give the Prometheus the cluster's pods are scraped by, e.g. http://prometheus.monitoring:9090.");
        http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        return new PrometheusClient(http);
    }

    async Task CanaryOnKubernetesAsync(TargetContext ctx, CancellationToken ct)
    {
        var plan = CanaryPlanOrThrow();
        var release = await GatedReleaseAsync(ct);
        var image = await ServingImageAsync(ct);
        using var api = await ConnectToClusterAsync(ct);
        var request = await KubernetesRequestAsync(api, $"./build.sh Deploy --strategy canary: {release.Version} ({release.Candidate}) passed Validate and its analysis", ct);
        using var registry = OpenRegistry();
        var prometheus = AnalysisPrometheus(out var http);
        using (http)
        {
            var outcome = await new KubernetesReleaseStage(api, registry, new ProcessRunner(), TimeProvider.System, ctx.Log.WriteLine)
                .CanaryAsync(release, image, request, plan, new PrometheusVersionMetrics(prometheus, release.ModelName), ct);
            ctx.AppendStepSummary($"### Deploy --strategy canary (kubernetes)\n\n{release.Version} promoted after {outcome.Analyses.Count} analyses " +
                $"in {outcome.Elapsed.TotalSeconds:F0} s:\n\n{CanaryReport.Markdown(outcome)}");
        }
    }

    /// <summary>Deploy --strategy canary or ab on the local edge; the analysis reads the local Prometheus Deploy started.</summary>
    async Task ProgressiveLocalDeployAsync(TargetContext ctx, LocalDeployer deployer, ReleaseManifest release, ContainerImage image, string revision,
        OrtEnvironment ort, CancellationToken ct)
    {
        if (DryRun) throw new ArgumentException($"--dry-run shows a blue/green switch only; a {Strategy} release is decided by live metrics. Run it without --dry-run, or use --strategy blue-green --dry-run to see the plan.");
        var plan = Strategy == CanaryStrategy ? CanaryPlanOrThrow() : null;
        var prometheus = AnalysisPrometheus(out var http);
        using (http)
        {
            var progressive = new ProgressiveOptions(new PrometheusVersionMetrics(prometheus, ModelName), ort, AnalysisLoadRps);
            if (plan is not null)
            {
                var result = await deployer.CanaryAsync(release, image, plan, progressive, revision,
                    $"./build.sh Deploy --strategy canary: {release.Version} ({release.Candidate}) passed Validate and every analysis", ct);
                ctx.AppendStepSummary($"### Deploy --strategy canary ({TargetEnvironment})\n\n{result.SummaryLine}\n\n{result.Canary}\n" +
                    (result.Traffic is { } t ? $"Synthetic traffic: {t.Describe()}.\n" : ""));
                return;
            }
            var comparison = await deployer.AbTestAsync(release, image, AbWeight, TimeSpan.FromSeconds(AbSeconds), progressive, ct);
            ctx.Log.WriteLine(comparison.Markdown());
            ctx.Log.WriteLine($"A/B test running: both versions keep serving. Finish it with ./build.sh Promote --to-version {release.Version} (or the other version); " +
                $"the report is {(DeployDirectory / LocalDeployer.AbReportFileName).RelativeTo(RootDirectory)}");
            ctx.AppendStepSummary($"### Deploy --strategy ab ({TargetEnvironment})\n\n{comparison.Markdown()}\nNeither version was promoted: `./build.sh Promote --to-version VERSION`.\n");
        }
    }

    Target Promote => _ => _
        .Description("Ends an A/B test: --to-version takes all of the model's traffic on the local edge, the other version drains and stops, and the registry records it in production")
        .Executes(async (ctx, ct) =>
        {
            if (OnKubernetes()) throw new ArgumentException("Promote ends an A/B test on the local edge; on Kubernetes a canary promotes itself when its analysis passes.");
            if (string.IsNullOrWhiteSpace(ToVersion)) throw new ArgumentException("Promote needs --to-version: one of the two versions the A/B test left serving (see artifacts/deploy/ab-test.md).");
            var revision = await RevisionAsync(ct);
            using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Env));
            using var registry = OpenRegistry();
            var result = await CreateLocalDeployer(docker, registry, new OrtEnvironment(), ctx, await ServingKeyMountAsync(ct))
                .PromoteAsync(ToVersion.Trim(), revision, $"./build.sh Promote --to-version {ToVersion.Trim()}", ct);
            ctx.AppendStepSummary($"### Promote ({TargetEnvironment})\n\n{result.SummaryLine}\n");
        });
}
