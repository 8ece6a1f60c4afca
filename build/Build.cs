using Pipeline.DotNet;
using Pipeline.Engine;
using Pipeline.OnnxRuntime;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using Training;

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

    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";
    AbsolutePath Solution => RootDirectory / "MlopsPipeline.slnx";
    Func<string, string?> Env => name => EnvironmentVariables.TryGetValue(name, out var value) ? value : null;

    // ---- Foundation ---------------------------------------------------------------------------------------------

    Target Setup => _ => _
        .Description("Makes the prerequisites present: ONNX Runtime 1.30.0, the Fashion-MNIST data, the ONNX checker, a Docker engine")
        .Executes(async (ctx, ct) =>
        {
            var prerequisites = StandardPrerequisites.Create(new ProcessRunner(), Env,
                new PrerequisiteLocations(DatasetDir, OnnxRuntimeDir), ctx.Log.WriteLine);
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

    static Task NotImplementedYet(string target, int issue) =>
        throw new NotImplementedException($"{target} is not implemented yet (issue #{issue}); nothing was done.");
}
