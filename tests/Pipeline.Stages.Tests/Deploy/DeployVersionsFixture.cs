using System.Security.Cryptography;
using Pipeline.Docker;
using Pipeline.ModelRegistry;
using Pipeline.Stages;

namespace Pipeline.Stages.Tests;

/// <summary>A model version the deploy tests use: its registry entry and the serving image tagged for it.</summary>
public sealed record DeployVersion(string Version, string Sha256, string ModelPath, string Image);

/// <summary>
/// Serving images for several model versions, made cheaply from the one image Containerize built: each is that image
/// with another model file and version (a two-line Dockerfile, one small layer), tagged as Containerize tags versions
/// and pushed to the test's image registry. The versions are registered in a model registry of their own:
/// <see cref="V1"/> (fp32) and <see cref="V2"/> (int8) are good; <see cref="Unready"/>'s server refuses to start (its
/// SHA-256 is not its file's); <see cref="WrongAnswers"/> carries the fp32 file but was registered with the int8 one,
/// so its answers differ from its gated model's; <see cref="NotValidated"/> failed a gate; <see cref="Twin"/> is V1's
/// image serving its model under another name (<see cref="TwinModel"/>), a second model for the same edge port.
/// </summary>
public sealed class DeployVersionsFixture(PipelineRunFixture run) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<string> _images = [];
    private bool _built;

    public DeployVersion V1 { get; private set; } = null!;
    public DeployVersion V2 { get; private set; } = null!;
    public DeployVersion Unready { get; private set; } = null!;
    public DeployVersion WrongAnswers { get; private set; } = null!;
    public DeployVersion NotValidated { get; private set; } = null!;
    public DeployVersion Twin { get; private set; } = null!;

    /// <summary>Answers exactly as <see cref="V1"/> does, but each row costs a long chain of large MatMuls (<see cref="SlowTwinModel"/>): a canary a p99 threshold must stop.</summary>
    public DeployVersion Slow { get; private set; } = null!;

    /// <summary>The slow model with an admission limit of one request and no queue: under concurrent requests it answers 503, a canary a success-rate threshold must stop.</summary>
    public DeployVersion Overloaded { get; private set; } = null!;

    /// <summary>The name <see cref="Twin"/>'s server answers under: /v2/models/fashion-twin.</summary>
    public const string TwinModel = "fashion-twin";
    public string RegistryDirectory => run.Directory.File("deploy-registry");
    public ContainerImageFixture Container => run.Container;

    public async Task EnsureAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_built) return;
            await BuildAsync();
            _built = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task BuildAsync()
    {
        var baseImage = await run.Container.ImageAsync();
        var fp32 = run.Exported.OnnxPath;
        var int8 = Path.Combine(run.ModelDirectory, QuantizationVariants.FileName(QuantizationVariant.DynamicPerChannel));
        using var registry = new FileSystemModelRegistry(RegistryDirectory, TimeProvider.System);

        V1 = await MakeAsync(registry, baseImage, "1.0.901+deploya", fp32, fp32, passed: true, push: true);
        V2 = await MakeAsync(registry, baseImage, "1.0.902+deployb", int8, int8, passed: true, push: true);
        Unready = await MakeAsync(registry, baseImage, "1.0.903+unready", fp32, fp32, passed: true, push: false, declaredSha: new string('0', 64));
        WrongAnswers = await MakeAsync(registry, baseImage, "1.0.904+wrong", registered: int8, inImage: fp32, passed: true, push: false);
        NotValidated = await MakeAsync(registry, baseImage, "1.0.905+failed", fp32, fp32, passed: false, push: false);
        Twin = await RenameAsync(V1, TwinModel);
        var slow = run.Directory.File("model.slow.onnx");
        await SlowTwinModel.WriteAsync(fp32, slow);
        Slow = await MakeAsync(registry, baseImage, "1.0.906+slow", slow, slow, passed: true, push: false);
        Overloaded = await MakeAsync(registry, baseImage, "1.0.907+overloaded", slow, slow, passed: true, push: false,
            environment: "SERVING_MAX_CONCURRENT_INFERENCES=1 SERVING_MAX_QUEUE_SIZE=0");
    }

    private async Task<DeployVersion> MakeAsync(FileSystemModelRegistry registry, ContainerImage baseImage, string version, string registered, string inImage,
        bool passed, bool push, string? declaredSha = null, string? environment = null)
    {
        await registry.RegisterAsync(new ModelRegistration
        {
            ModelName = "fashion-mnist",
            ModelPath = registered,
            VersionId = version,
            SourceRevision = "0123456789abcdef",
            Gates = [new GateResult("min_accuracy", 0.70, passed ? 0.80 : 0.50, passed)],
        });
        var sha = await Sha256Async(inImage);
        var context = run.Directory.File($"deploy-context-{ImageTags.FromVersion(version)}");
        Directory.CreateDirectory(context);
        File.Copy(inImage, Path.Combine(context, "model.onnx"), overwrite: true);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"""
            FROM {baseImage.Reference}
            COPY model.onnx /models/model.onnx
            ENV SERVING_MODEL_VERSION={version} SERVING_MODEL_SHA256={declaredSha ?? sha} {environment}
            LABEL org.opencontainers.image.version="{version}" io.mlops.model.sha256="{declaredSha ?? sha}"
            """);
        var tag = ImageTags.ForModel(version, await Sha256Async(registered));
        var reference = $"{run.Container.Repository}:{tag}";
        await run.Container.Docker.BuildImageAsync(new BuildRequest(BuildContext.FromDirectory(context)) { Tags = [reference] }, null, CancellationToken.None);
        _images.Add(reference);
        if (push) await run.Container.Docker.PushImageAsync(run.Container.Repository, tag, run.Container.Credentials, null, CancellationToken.None);
        return new DeployVersion(version, await Sha256Async(registered), registered, reference);
    }

    /// <summary><paramref name="version"/>'s image with its server answering as <paramref name="model"/> (same labels, so the same version).</summary>
    private async Task<DeployVersion> RenameAsync(DeployVersion version, string model)
    {
        var context = run.Directory.File($"deploy-context-{model}");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM {version.Image}\nENV SERVING_MODEL_NAME={model}\n");
        var reference = $"{run.Container.Repository}:{model}-{ImageTags.FromVersion(version.Version)}";
        await run.Container.Docker.BuildImageAsync(new BuildRequest(BuildContext.FromDirectory(context)) { Tags = [reference] }, null, CancellationToken.None);
        _images.Add(reference);
        return version with { Image = reference };
    }

    private static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var image in _images)
            try { await run.Container.Docker.RemoveImageAsync(image, force: true, CancellationToken.None); } catch (DockerException) { }
    }
}
