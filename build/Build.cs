using Pipeline.Docker;
using Pipeline.DotNet;
using Pipeline.Engine;
using Pipeline.Gates;
using Pipeline.ModelRegistry;
using Pipeline.ModelRegistry.Reporting;
using Pipeline.OnnxRuntime;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using Training;
using Training.Compression;
using Pipeline.Stages;

// The pipeline drives apt, dockerd and Linux containers; Windows runs it through WSL.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

/// <summary>
/// The pipeline: Setup → Compile → Test, and Train → ExportOnnx → Quantize → Validate → Containerize → LoadTest → Deploy,
/// with Rollback for incidents. Each body is a few lines that call a library; parameters are declared here.
/// </summary>
sealed partial class Build : BuildDefinition
{
    public static Task<int> Main(string[] args) => BuildRunner.RunAsync<Build>(args);

    public override Target DefaultTarget => Test;

    // ---- Locations and general ----------------------------------------------------------------------------------

    [Parameter("Directory holding the four Fashion-MNIST IDX files (default: FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist)")]
    readonly AbsolutePath? DatasetDir;

    [Parameter("Directory for the ONNX Runtime native library (default: ~/.cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64)")]
    readonly AbsolutePath? OnnxRuntimeDir;

    [Parameter("Build configuration for Compile and Test")]
    readonly string Configuration = "Release";

    [Parameter("dotnet test --filter expression for Test (default: every test)")]
    readonly string? TestFilter;

    [Parameter("Source revision recorded in the model's lineage (default: git rev-parse HEAD)")]
    readonly string? SourceRevision;

    [Parameter("Port of the local image registry on 127.0.0.1")]
    readonly int RegistryPort = 5000;

    [Parameter("User name for the local image registry")]
    readonly string RegistryUser = "mlops";

    [Parameter("Password for the local image registry (default: generated once, kept in ~/.local/share/mlops-pipeline/image-registry/password)"), Secret]
    readonly string? RegistryPassword;

    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";
    string StateDirectory => Path.Combine(
        Env("XDG_DATA_HOME") is { Length: > 0 } data ? data : Path.Combine(Env("HOME") ?? "/root", ".local", "share"), "mlops-pipeline");
    LocalImageRegistryOptions ImageRegistryOptions => new(Path.Combine(StateDirectory, "image-registry"), RegistryPort);
    RegistryLogin ImageRegistryLogin => RegistryLogin.LoadOrCreate(ImageRegistryOptions.Directory, RegistryUser, RegistryPassword);
    AbsolutePath Solution => RootDirectory / "MlopsPipeline.slnx";
    Func<string, string?> Env => name => EnvironmentVariables.TryGetValue(name, out var value) ? value : null;

    // ---- Foundation ---------------------------------------------------------------------------------------------

    Target Setup => _ => _
        .Description("Makes the prerequisites present: ONNX Runtime 1.30.0, the Fashion-MNIST data, the ONNX checker, a Docker engine, a local image registry")
        .Executes(async (ctx, ct) =>
        {
            var prerequisites = StandardPrerequisites.Create(new ProcessRunner(), Env,
                new PrerequisiteLocations(ImageRegistryOptions, ImageRegistryLogin, DatasetDir, OnnxRuntimeDir), ctx.Log.WriteLine);
            var results = await PrerequisiteSetup.RunAllAsync(prerequisites,
                r => ctx.Log.WriteLine($"{r.Name,-38} {r.Status,-15} {r.Message}"), ct);
            PrerequisiteSetup.ThrowIfAnyFailed(results);
            var library = OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath);
            ctx.Log.WriteLine($"ONNX Runtime {library.Version} loads from {library.LibraryPath}");
        });

    Target Compile => _ => _
        .Description("Builds every project of the solution")
        .Executes(async (ctx, ct) => await DotNet(ctx).BuildAsync(Solution, Configuration, ct));

    Target Test => _ => _
        .Description("Runs every test project against the real prerequisites; prints 'N passed, N failed'")
        .DependsOn(Setup, Compile)
        .Executes(async (ctx, ct) =>
        {
            var summary = await DotNet(ctx).TestAsync(new DotNetTestRequest(Solution, Configuration, ArtifactsDirectory / "test-results")
            {
                NoBuild = true,
                Filter = TestFilter,
                Environment = TestEnvironment,
            }, ct);
            TestReport.Write(ctx, summary);
        });

    Target Clean => _ => _
        .Description("Removes artifacts/ and the records of incremental targets (the next run rebuilds everything)")
        .Before(Setup)
        .Executes((ctx, _) =>
        {
            foreach (var directory in new[] { ArtifactsDirectory, TemporaryDirectory / "fingerprints" })
                if (directory.DirectoryExists())
                {
                    Directory.Delete(directory, recursive: true);
                    ctx.Log.WriteLine($"removed {directory.RelativeTo(RootDirectory)}/");
                }
        });

    Target Noop => _ => _
        .Description("Does nothing: measures the engine's own overhead (benchmarks/Build.Benchmarks)")
        .Executes(() => { });

    // ---- Training -----------------------------------------------------------------------------------------------

    [Parameter("Seed for the train/validation split, initialization, shuffling and dropout")]
    readonly int Seed = 42;

    [Parameter("Hidden layer widths of the MLP; an empty list trains softmax regression")]
    readonly int[] HiddenLayers = [.. DefaultTraining.HiddenLayers];

    [Parameter("Maximum training epochs (early stopping on validation loss may stop sooner)")]
    readonly int Epochs = DefaultTraining.MaxEpochs;

    [Parameter("Mini-batch size")]
    readonly int BatchSize = DefaultTraining.BatchSize;

    [Parameter("Optimizer: Adam or Sgd (with Nesterov momentum)")]
    readonly OptimizerKind Optimizer = DefaultTraining.Optimizer;

    [Parameter("Peak learning rate (cosine schedule with warm-up)")]
    readonly double LearningRate = DefaultTraining.LearningRate;

    [Parameter("Weight decay: decoupled (AdamW) with Adam, L2 on the gradient with Sgd")]
    readonly double WeightDecay = DefaultTraining.WeightDecay;

    [Parameter("Dropout rate on hidden layers during training")]
    readonly double Dropout = DefaultTraining.Dropout;

    [Parameter("Epochs without validation-loss improvement before training stops")]
    readonly int Patience = DefaultTraining.EarlyStoppingPatience;

    [Parameter("Fraction of the official training set held out for validation")]
    readonly double ValidationFraction = DefaultTraining.ValidationFraction;

    [Parameter("Threads for training (0 = every core); the weights do not depend on it")]
    readonly int Threads;

    [Parameter("Name the model is registered and served under")]
    readonly string ModelName = "fashion-mnist";

    static readonly TrainingOptions DefaultTraining = new();

    AbsolutePath TrainDirectory => ArtifactsDirectory / "train";
    AbsolutePath ModelDirectory => ArtifactsDirectory / "model";
    AbsolutePath TrainedModel => TrainDirectory / TrainStage.ModelFileName;
    AbsolutePath OnnxModel => ModelDirectory / "model.onnx";

    Target Train => _ => _
        .Description("Trains the MLP on Fashion-MNIST; writes artifacts/train/model.mlp and metrics.json")
        .DependsOn(Setup)
        .Inputs(DatasetFiles)
        .Inputs("training/Training/**/*.cs", "pipeline/Pipeline.Stages/Train/**/*.cs", "!**/obj/**", "!**/bin/**")
        .Inputs(() => Seed, () => HiddenLayers, () => Epochs, () => BatchSize, () => Optimizer, () => LearningRate,
            () => WeightDecay, () => Dropout, () => Patience, () => ValidationFraction)
        .Outputs(TrainedModel.RelativeTo(RootDirectory), (TrainDirectory / TrainStage.MetricsFileName).RelativeTo(RootDirectory))
        .Produces("artifacts/train/**")
        .Executes(async (ctx, ct) =>
        {
            var result = await TrainingProgressView.RunAsync(ctx, Epochs, view =>
                new TrainStage(ctx.Log.WriteLine, view, view).RunAsync(
                    new TrainStageRequest(DatasetDirectory, TrainDirectory, TrainingOptions, TrainingExecution), ct));
            ctx.Log.WriteLine($"test accuracy {result.Test.Accuracy:P2}, log loss {result.Test.LogLoss:F4}; " +
                              $"{result.Training.Record.EpochsRun} epochs ({result.Training.Record.StopReason}) in {result.Training.Duration.TotalSeconds:F0} s");
            ctx.AppendStepSummary($"### Train\n\nTest accuracy **{result.Test.Accuracy:P2}**, {result.Training.Record.EpochsRun} epochs in {result.Training.Duration.TotalSeconds:F0} s\n");
        });

    Target ExportOnnx => _ => _
        .Description("Exports artifacts/model/model.onnx and checks in ONNX Runtime that it answers exactly as the trained model")
        .DependsOn(Train)
        .Consumes(Train, "artifacts/train/**")
        .Inputs(TrainedModel.RelativeTo(RootDirectory))
        .Inputs("training/Training.Export/**/*.cs", "pipeline/Pipeline.Onnx/**/*.cs", "pipeline/Pipeline.Onnx/**/*.proto", "!**/obj/**", "!**/bin/**")
        .Inputs(() => ModelName)
        .Outputs(OnnxModel.RelativeTo(RootDirectory))
        .Produces("artifacts/model/model.onnx")
        .Executes(async (ctx, ct) =>
        {
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            var (revision, created) = (await RevisionAsync(ct), DateTimeOffset.UtcNow);
            var version = ModelVersionFor(created, revision);
            await new ExportStage(ort, ctx.Log.WriteLine).RunAsync(new ExportStageRequest(
                TrainedModel, DatasetDirectory, OnnxModel, ModelName, version, revision, created, TrainingExecution.DegreeOfParallelism), ct);
        });

    TrainingOptions TrainingOptions => DefaultTraining with
    {
        Seed = (ulong)Seed,
        HiddenLayers = HiddenLayers,
        MaxEpochs = Epochs,
        BatchSize = BatchSize,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        Dropout = Dropout,
        EarlyStoppingPatience = Patience,
        ValidationFraction = ValidationFraction,
    };

    ExecutionOptions TrainingExecution => new() { DegreeOfParallelism = Threads > 0 ? Threads : Environment.ProcessorCount };

    string DatasetFiles => Path.Combine(DatasetDirectory, "*-ubyte*");

    // ---- Later stages (each fails loudly until its issue lands) --------------------------------------------------

    [Parameter("The int8 method copied to artifacts/model/model.int8.onnx (every method is written beside it)")]
    readonly QuantizationVariant QuantizationMethod = QuantizationVariant.DynamicPerChannel;

    [Parameter("Training rows used to calibrate activation ranges for static (QDQ) quantization")]
    readonly int CalibrationSamples = 1000;

    AbsolutePath Int8Model => ModelDirectory / QuantizeStage.DefaultFileName;

    Target Quantize => _ => _
        .Description("Quantizes the ONNX model to int8 (dynamic and static QDQ); writes artifacts/model/model.int8.onnx and quantization.md")
        .DependsOn(ExportOnnx)
        .Consumes(ExportOnnx, "artifacts/model/model.onnx")
        .Inputs(OnnxModel.RelativeTo(RootDirectory))
        .Inputs("pipeline/Pipeline.Quantization/**/*.cs", "pipeline/Pipeline.Stages/Quantize/**/*.cs", "!**/obj/**", "!**/bin/**")
        .Inputs(() => QuantizationMethod, () => CalibrationSamples)
        .Outputs(Int8Model.RelativeTo(RootDirectory), "artifacts/model/quantization.md")
        .Produces("artifacts/model/model.int8*.onnx", "artifacts/model/quantization.*")
        .Executes(async (ctx, ct) =>
        {
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            var result = await new QuantizeStage(ort, ctx.Log.WriteLine).RunAsync(
                new QuantizeStageRequest(OnnxModel, DatasetDirectory, ModelDirectory, QuantizationMethod, CalibrationSamples), ct);
            var table = await File.ReadAllTextAsync(result.ReportPath, ct);
            ctx.Log.WriteLine(table);
            ctx.AppendStepSummary("### Quantize\n\n" + table);
        });

    // ---- Compression: pruning and distillation, candidates for the same gates ----------------------------------------

    [Parameter("Fraction of weights magnitude pruning sets to zero before fine-tuning")]
    readonly double PruneSparsity = new PruningOptions().TargetSparsity;

    [Parameter("Hidden layer widths of the distilled student MLP")]
    readonly int[] StudentHiddenLayers = [.. new DistillationOptions().StudentHiddenLayers];

    [Parameter("Distillation temperature (softens the teacher's outputs)")]
    readonly double DistillTemperature = new DistillationOptions().Temperature;

    AbsolutePath PrunedModel => ModelDirectory / PruneStage.OnnxFileName;
    AbsolutePath DistilledModel => ModelDirectory / DistillStage.OnnxFileName;

    Target Prune => _ => _
        .Description("Magnitude-prunes the trained MLP to --prune-sparsity, fine-tunes it and exports artifacts/model/model.pruned.onnx")
        .DependsOn(Train)
        .Consumes(Train, "artifacts/train/**")
        .Inputs(TrainedModel.RelativeTo(RootDirectory), DatasetFiles)
        .Inputs("training/Training/Compression/**/*.cs", "pipeline/Pipeline.Stages/Compress/**/*.cs", "!**/obj/**", "!**/bin/**")
        .Inputs(() => PruneSparsity, () => ModelName)
        .Outputs(PrunedModel.RelativeTo(RootDirectory))
        .Produces("artifacts/model/model.pruned.*")
        .Executes(async (ctx, ct) =>
        {
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            var (revision, created) = (await RevisionAsync(ct), DateTimeOffset.UtcNow);
            var result = await new PruneStage(ort, ctx.Log.WriteLine).RunAsync(new PruneStageRequest(TrainedModel, DatasetDirectory, PrunedModel,
                ModelName, ModelVersionFor(created, revision), revision, created, TrainingExecution,
                new PruningOptions { TargetSparsity = PruneSparsity }), ct);
            ctx.Log.WriteLine(result.Markdown);
            ctx.AppendStepSummary(result.Markdown);
        });

    Target Distill => _ => _
        .Description("Distils the trained MLP into a smaller student on its temperature-softened outputs; exports artifacts/model/model.distilled.onnx")
        .DependsOn(Train)
        .Consumes(Train, "artifacts/train/**")
        .Inputs(TrainedModel.RelativeTo(RootDirectory), DatasetFiles)
        .Inputs("training/Training/Compression/**/*.cs", "pipeline/Pipeline.Stages/Compress/**/*.cs", "!**/obj/**", "!**/bin/**")
        .Inputs(() => StudentHiddenLayers, () => DistillTemperature, () => ModelName)
        .Outputs(DistilledModel.RelativeTo(RootDirectory))
        .Produces("artifacts/model/model.distilled.*")
        .Executes(async (ctx, ct) =>
        {
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            var (revision, created) = (await RevisionAsync(ct), DateTimeOffset.UtcNow);
            var result = await new DistillStage(ort, ctx.Log.WriteLine).RunAsync(new DistillStageRequest(TrainedModel, DatasetDirectory, DistilledModel,
                ModelName, ModelVersionFor(created, revision), revision, created, TrainingExecution,
                new DistillationOptions { StudentHiddenLayers = StudentHiddenLayers, Temperature = DistillTemperature }), ct);
            ctx.Log.WriteLine(result.Markdown);
            ctx.AppendStepSummary(result.Markdown);
        });

    /// <summary>What Validate chose to ship (artifacts/gates/release.json).</summary>
    Task<ReleaseManifest> GatedReleaseAsync(CancellationToken ct) => ReleaseManifest.ReadAsync(GatesDirectory / ReleaseManifest.FileName, ct);

    /// <summary>The image Containerize built around it (artifacts/container/image.json).</summary>
    Task<ContainerImage> ServingImageAsync(CancellationToken ct) => ContainerImage.ReadAsync(ContainerDirectory / ContainerImage.FileName, ct);

    async Task<string> RevisionAsync(CancellationToken ct) => SourceRevision ?? await GitRevision.ReadAsync(new ProcessRunner(), RootDirectory, ct);

    static string ModelVersionFor(DateTimeOffset created, string revision) => $"{created:yyyyMMdd.HHmmss}+{revision[..Math.Min(7, revision.Length)]}";

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
        .DependsOn(Quantize, Prune, Distill)
        .Consumes(Quantize, "artifacts/model/model.int8*.onnx")
        .Consumes(Prune, "artifacts/model/model.pruned.*")
        .Consumes(Distill, "artifacts/model/model.distilled.*")
        .Produces("artifacts/gates/**")
        .Executes(async (ctx, ct) =>
        {
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            using var registry = OpenRegistry();
            var revision = await RevisionAsync(ct);
            var result = await new ValidateStage(ort, registry, ctx.Log.WriteLine).RunAsync(new ValidateStageRequest(
                ReleaseCandidates, TrainedModel, DatasetDirectory, Thresholds, TargetEnvironment, GatesDirectory, ModelName, revision), ct);
            var table = await File.ReadAllTextAsync(result.MarkdownPath, ct);
            ctx.Log.WriteLine(table);
            ctx.AppendStepSummary("### Release gates\n\n" + table);
            result.Report.Decision.RequireWinner();
        });

    Target Models => _ => _
        .Description("Lists registered model versions with metrics and gate results, and what is in production where")
        .Executes(async (ctx, ct) =>
        {
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
        new("fp32", OnnxModel, CandidateKind.Fp32),
        .. Enum.GetValues<QuantizationVariant>().Select(v =>
            new ModelCandidate(QuantizationVariants.CandidateName(v), ModelDirectory / QuantizationVariants.FileName(v), CandidateKind.Quantized)),
        new("pruned", PrunedModel, CandidateKind.Compressed),
        new("distilled", DistilledModel, CandidateKind.Compressed),
    ];

    FileSystemModelRegistry OpenRegistry() => new(RegistryDir ?? DefaultRegistryDirectory, TimeProvider.System);

    string DefaultRegistryDirectory => Path.Combine(StateDirectory, "registry");

    // ---- Serving image --------------------------------------------------------------------------------------------

    AbsolutePath ContainerDirectory => ArtifactsDirectory / "container";
    [Parameter("Registry (host[:port]) the serving image is pushed to and deployed from, with --registry-user/--registry-password " +
               "(default: the local registry on 127.0.0.1:--registry-port; a real cluster needs one it can reach)")]
    readonly string? ImageRegistry;

    string ImageRegistryAddress => string.IsNullOrWhiteSpace(ImageRegistry) ? ImageRegistryOptions.Address : ImageRegistry.Trim().TrimEnd('/');
    string ImageRepository => $"{ImageRegistryAddress}/{ModelName}-serving";

    Target Containerize => _ => _
        .Description("Builds the serving image around the gated model, pushes it to the local registry, runs it hardened and smoke-tests it")
        .DependsOn(Validate)
        .Consumes(Validate, "artifacts/gates/**")
        .Produces("artifacts/container/**")
        .Executes(async (ctx, ct) =>
        {
            var app = ContainerDirectory / "publish";
            await DotNet(ctx).PublishAsync(RootDirectory / "serving" / "Serving.Server" / "Serving.Server.csproj", app, "linux-x64", ct);
            using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Env));
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            var login = ImageRegistryLogin;
            var image = await new ContainerizeStage(docker, new ProcessRunner(), ort, ctx.Log.WriteLine).RunAsync(new ContainerizeRequest(
                await GatedReleaseAsync(ct), app, OnnxRuntimeLibraryPath,
                RootDirectory / "serving" / "Dockerfile", ContainerDirectory, DatasetDirectory, ImageRepository,
                new Pipeline.Docker.RegistryCredentials(login.Username, login.Password, ImageRegistryAddress), DateTimeOffset.UtcNow), ct);
            ctx.AppendStepSummary($"### Containerize\n\n`{image.Reference}` ({image.SizeBytes / 1_000_000.0:F1} MB), smoke test on {image.SmokeSamples} images passed\n");
        });

    // ---- Helpers ------------------------------------------------------------------------------------------------

    string OnnxRuntimeLibraryPath => OnnxRuntimeDir is { } dir
        ? dir / OnnxRuntimePin.Current.LibraryFileName
        : OnnxRuntimeLocation.LibraryPath(OnnxRuntimePin.Current, Env);

    string DatasetDirectory => DatasetDir ?? Training.Data.FashionMnist.ResolveDirectory(Env(Training.Data.FashionMnist.DirectoryEnvironmentVariable));

    IReadOnlyDictionary<string, string> TestEnvironment => new Dictionary<string, string>
    {
        [OnnxRuntimeLibrary.PathVariable] = OnnxRuntimeLibraryPath,
        [Training.Data.FashionMnist.DirectoryEnvironmentVariable] = DatasetDirectory,
    };

    DotNetCli DotNet(TargetContext ctx) => new(new ProcessRunner(), ctx.Log.WriteLine);
}
