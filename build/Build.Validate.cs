using Pipeline.Engine;
using Pipeline.Gates;
using Pipeline.ModelRegistry;
using Pipeline.ModelRegistry.Reporting;
using Pipeline.OnnxRuntime;
using Pipeline.Stages;

/// <summary>Release gates on every candidate and the model registry they feed.</summary>
sealed partial class Build
{
    // ---- Release gates and the model registry ---------------------------------------------------------------------

    [Parameter("Gate: minimum test accuracy of the model to ship (a fraction)")]
    readonly double MinAccuracy = new GateThresholds().MinAccuracy;

    [Parameter("Gate: largest allowed accuracy loss against the model in production for --environment (a fraction)")]
    readonly double MaxRegression = new GateThresholds().MaxRegression;

    [Parameter("Gate: largest allowed accuracy loss of a quantized or compressed model against fp32 (a fraction)")]
    readonly double MaxQuantizationDrop = new GateThresholds().MaxQuantizationDrop;

    [Parameter("Gate: largest model file, in MB")]
    readonly double MaxModelMb = new GateThresholds().MaxModelMb;

    [Parameter("Gate: largest batch-1 p99 latency in ONNX Runtime, in milliseconds")]
    readonly double MaxLatencyMs = new GateThresholds().MaxLatencyMs;

    [Parameter("Target environment: local (the Docker engine here) or kubernetes", Name = "Environment")]
    readonly string TargetEnvironment = "local";

    [Parameter("Model registry directory (default: ~/.local/share/mlops-pipeline/registry); it outlives Clean, as production history must")]
    readonly AbsolutePath? RegistryDir;

    AbsolutePath GatesDirectory => ArtifactsDirectory / "gates";

    Target Validate => _ => _
        .Description("Release gates on every candidate (accuracy, regression vs production, quantization drop, parity, size, latency); registers the one to ship")
        .DependsOn(Quantize, Prune, Distill, TrainMlNet)
        // Incremental, so that a Deploy with nothing changed does not measure every candidate again (nor register anything).
        .Inputs("artifacts/model/*.onnx", TrainedModel.RelativeTo(RootDirectory))
        .Inputs(ModelDataInputs)
        .CodeInputs(StageProject("Validate"))
        .Inputs(() => MinAccuracy, () => MaxRegression, () => MaxQuantizationDrop, () => MaxModelMb, () => MaxLatencyMs,
            () => TargetEnvironment, () => Model, () => Candidates, () => RegistryDir, () => ValidateRegistryState)
        .Outputs("artifacts/gates/release.json", "artifacts/gates/gates.json", "artifacts/gates/gates.md", "artifacts/gates/drift-baseline.json")
        .Consumes(Quantize, "artifacts/model/model.int8*.onnx")
        .Consumes(Prune, "artifacts/model/model.pruned.*")
        .Consumes(Distill, "artifacts/model/model.distilled.*")
        .Consumes(TrainMlNet, "artifacts/model/model.mlnet-*.onnx")
        .Produces("artifacts/gates/**")
        .Executes(async (ctx, ct) =>
        {
            var ort = new OrtEnvironment();
            using var registry = OpenRegistry();
            var revision = await RevisionAsync(ct);
            var result = await new ValidateStage(ort, registry, ctx.Log.WriteLine).RunAsync(new ValidateStageRequest(
                ReleaseCandidates, TrainsMlp ? TrainedModel : null, ModelData, Thresholds, TargetEnvironment, GatesDirectory, ModelName, revision)
            {
                Target = await ProductionTargetAsync(ctx.Log.WriteLine, ct),
            }, ct);
            var table = await File.ReadAllTextAsync(result.MarkdownPath, ct);
            ctx.Log.WriteLine(table);
            ctx.AppendStepSummary("### Release gates\n\n" + table);
            result.Report.Decision.RequireWinner();
        });

    Target Models => _ => _
        .Description("Lists the models this build can ship (--model), registered versions with metrics and gate results, and what is in production where")
        .Executes(async (ctx, ct) =>
        {
            foreach (var definition in Catalog.All)
                ctx.Log.WriteLine($"--model {definition.Name}: {definition.Description} ({definition.Task}; candidates: " +
                    string.Join(", ", [.. definition.IncludesProjectMlp ? MlpCandidates.Select(c => c.Name) : [],
                        .. definition.Candidates.Select(c => c.OptIn ? $"{c.Name} (opt-in)" : c.Name)]) + ")");
            using var registry = OpenRegistry();
            ctx.Log.WriteLine(ModelRegistryTable.Render(await registry.ListVersionsAsync(ct), await registry.ListEnvironmentsAsync(ct)));
        });

    GateThresholds Thresholds => new()
    {
        MinAccuracy = MinAccuracy,
        MaxRegression = MaxRegression,
        MaxQuantizationDrop = MaxQuantizationDrop,
        MaxModelMb = MaxModelMb,
        MaxLatencyMs = MaxLatencyMs,
    };

    IReadOnlyList<ModelCandidate> ReleaseCandidates =>
    [
        .. TrainsMlp ? MlpCandidates : [],
        .. SelectedMlNetCandidates.Select(c => new ModelCandidate(c.Name, ModelDirectory / MlNetTrainStage.OnnxFileName(c.Name), CandidateKind.Independent)),
    ];

    IReadOnlyList<ModelCandidate> MlpCandidates =>
    [
        new("fp32", OnnxModel, CandidateKind.Fp32),
        .. Enum.GetValues<QuantizationVariant>().Select(v =>
            new ModelCandidate(QuantizationVariants.CandidateName(v), ModelDirectory / QuantizationVariants.FileName(v), CandidateKind.Quantized)),
        new("pruned", PrunedModel, CandidateKind.Compressed),
        new("distilled", DistilledModel, CandidateKind.Compressed),
    ];

    /// <summary>
    /// What Validate's outcome depends on in the model registry, as an input of the incremental target: the version in
    /// production for --environment (the regression gate measures against it), except when that is the very version
    /// Validate chose last time, because against itself the gate passes just as with nothing in production; and whether
    /// the chosen version is still registered. So a Deploy with nothing changed skips Validate, while promoting or rolling
    /// back to another version, or pointing at another registry, makes it run.
    /// </summary>
    string ValidateRegistryState
    {
        get
        {
            // An input is read synchronously by the engine; the registry's reads are small local files.
            using var registry = OpenRegistry();
            var releasePath = GatesDirectory / ReleaseManifest.FileName;
            var release = File.Exists(releasePath) ? ReleaseManifest.ReadAsync(releasePath, CancellationToken.None).GetAwaiter().GetResult() : null;
            var target = ProductionTargetAsync(_ => { }, CancellationToken.None).GetAwaiter().GetResult();
            var production = registry.GetProductionAsync(target).GetAwaiter().GetResult()?.VersionId;
            var registered = release is null ||
                registry.ListVersionsAsync().GetAwaiter().GetResult().Any(v => v.VersionId == release.Version && v.Sha256 == release.Sha256);
            var baseline = production is null || production == release?.Version ? "no other version in production" : $"{production} in production";
            return $"{target}: {baseline}; chosen version registered: {registered}";
        }
    }

    FileSystemModelRegistry OpenRegistry() => new(RegistryDir ?? DefaultRegistryDirectory, TimeProvider.System);

    string DefaultRegistryDirectory => Path.Combine(StateDirectory, "registry");
}
