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
    RegistryCredentials ImageRegistryCredentials
    {
        get
        {
            var login = ImageRegistryLogin; // read once: it loads (or creates) the password file
            return new(login.Username, login.Password, ImageRegistryAddress);
        }
    }
    AbsolutePath Solution => RootDirectory / "MlopsPipeline.slnx";
    Func<string, string?> Env => name => EnvironmentVariables.TryGetValue(name, out var value) ? value : null;

    // ---- Foundation ---------------------------------------------------------------------------------------------

    Target Setup => _ => _
        .Description("Makes the prerequisites present: the Fashion-MNIST data and every model's data packages, the ONNX checker, a Docker engine, a local image registry")
        .Executes(async (ctx, ct) =>
        {
            var prerequisites = StandardPrerequisites.Create(new ProcessRunner(), Env,
                new PrerequisiteLocations(ImageRegistryOptions, ImageRegistryLogin, DatasetDir)
                {
                    DataPackagesRoot = DataPackagesDirectory,
                    DataPackages = DataPackages,
                }, ctx.Log.WriteLine);
            var results = await PrerequisiteSetup.RunAllAsync(prerequisites,
                r => ctx.Log.WriteLine($"{r.Name,-38} {r.Status,-15} {r.Message}"), ct);
            PrerequisiteSetup.ThrowIfAnyFailed(results);
            // ONNX Runtime comes with the Microsoft.ML.OnnxRuntime package; loading it here proves it works on this machine.
            ctx.Log.WriteLine($"ONNX Runtime {new OrtEnvironment().Version} loads from the Microsoft.ML.OnnxRuntime package");
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

    /// <summary>What Validate chose to ship (artifacts/gates/release.json).</summary>
    Task<ReleaseManifest> GatedReleaseAsync(CancellationToken ct) => ReleaseManifest.ReadAsync(GatesDirectory / ReleaseManifest.FileName, ct);

    /// <summary>The image Containerize built around it (artifacts/container/image.json).</summary>
    Task<ContainerImage> ServingImageAsync(CancellationToken ct) => ContainerImage.ReadAsync(ContainerDirectory / ContainerImage.FileName, ct);

    async Task<string> RevisionAsync(CancellationToken ct) => SourceRevision ?? await GitRevision.ReadAsync(new ProcessRunner(), RootDirectory, ct);

    static string ModelVersionFor(DateTimeOffset created, string revision) => $"{created:yyyyMMdd.HHmmss}+{revision[..Math.Min(7, revision.Length)]}";

    /// <summary>A stage's own project (pipeline/Pipeline.Stages/&lt;stage&gt;/): its reference closure is the code the target runs.</summary>
    static string StageProject(string stage) => $"pipeline/Pipeline.Stages/{stage}/Pipeline.Stages.{stage}.csproj";

    // ---- Helpers ------------------------------------------------------------------------------------------------

    string DatasetDirectory => DatasetDir ?? Training.Data.FashionMnist.ResolveDirectory(Env(Training.Data.FashionMnist.DirectoryEnvironmentVariable));

    IReadOnlyDictionary<string, string> TestEnvironment => new Dictionary<string, string>
    {
        [Training.Data.FashionMnist.DirectoryEnvironmentVariable] = DatasetDirectory,
        // Setup unpacked the models' Debian data packages here; the ML.NET tests read penguins.csv from it.
        ["MLOPS_MODEL_DATA_DIR"] = DataPackagesDirectory,
    };

    DotNetCli DotNet(TargetContext ctx) => new(new ProcessRunner(), ctx.Log.WriteLine);
}
