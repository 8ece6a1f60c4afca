using Pipeline.IO;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Docker;
using Pipeline.OnnxRuntime;
using Pipeline.Processes;

namespace Pipeline.Stages;

public sealed record ContainerizeRequest(
    ReleaseManifest Release,
    string PublishedAppDirectory,
    string Dockerfile,
    string OutputDirectory,
    ModelSource Data,
    string ImageRepository,
    RegistryCredentials RegistryCredentials,
    DateTimeOffset Created,
    int SmokeSamples = 64)
{
    /// <summary>The key file the smoke-test container mounts and the key the smoke test sends; null runs it without authentication.</summary>
    public ServingKeyMount? ApiKeys { get; init; }
}

/// <param name="ServerBuild">The <see cref="Stages.ServerBuild"/> fingerprint the image is labelled with.</param>
/// <param name="Reused">True when Containerize found this image already built for the same model and server build.</param>
public sealed record ContainerImage(
    string Reference,
    IReadOnlyList<string> Tags,
    string ImageId,
    string BaseImage,
    long SizeBytes,
    string? PushedDigest,
    long IdleMemoryBytes,
    int SmokeSamples,
    double SmokeMaxDifference,
    string? ServerBuild = null,
    bool Reused = false)
{
    public const string FileName = "image.json";

    /// <summary>The image label naming the served model's SHA-256 (the Dockerfile sets it from MODEL_SHA256).</summary>
    public const string ModelSha256Label = "io.mlops.model.sha256";

    /// <summary>
    /// repository@sha256:digest, as a cluster should pull it: a tag can be moved or overwritten after the image was
    /// tested, the digest names exactly the bytes that were pushed.
    /// </summary>
    public string DigestReference()
    {
        if (string.IsNullOrEmpty(PushedDigest) || !PushedDigest.StartsWith("sha256:", StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"{FileName} records no pushed digest for {Reference}: run ./build.sh Containerize, which pushes the image to the image registry; " +
                "Kubernetes deploys pull it by digest.");
        return $"{Repository(Reference)}@{PushedDigest}";
    }

    /// <summary>The reference without its tag or digest: "host:5000/name:tag" gives "host:5000/name".</summary>
    public static string Repository(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) reference = reference[..at];
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[..colon] : reference;
    }

    public static async Task<ContainerImage> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run ./build.sh Containerize first; it records the image it built.", path);
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<ContainerImage>(stream, StageJson.Options, cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty; run ./build.sh Containerize again.");
    }
}

/// <summary>
/// Builds the serving image around the model Validate chose, pushes it to the registry, runs it hardened
/// (non-root, read-only root file system, no capabilities), waits for readiness, checks that its answers equal
/// ONNX Runtime's in-process answers on real test images, then stops it with SIGTERM and expects a clean exit.
/// </summary>
public sealed class ContainerizeStage(DockerClient docker, IProcessRunner runner, OrtEnvironment ort, Action<string> log)
{
    public const double SmokeTolerance = ModelSmokeTest.Tolerance;

    /// <summary>The image label holding the SHA-256 of the drift baseline beside the model ("" without one).</summary>
    public const string DriftBaselineLabel = "io.mlops.drift-baseline.sha256";

    public async Task<ContainerImage> RunAsync(ContainerizeRequest request, CancellationToken cancellationToken)
    {
        var release = request.Release;
        await VerifyModelAsync(release, cancellationToken);
        var baseImage = await new DebianBaseImage(docker, runner, log).EnsureAsync(cancellationToken);
        var baseImageId = (await docker.InspectImageAsync(baseImage, cancellationToken)).Id;
        var serverBuild = await ServerBuild.ComputeAsync(request.PublishedAppDirectory, request.Dockerfile, baseImageId, cancellationToken);

        var versionTag = ImageTags.ForModel(release.Version, release.Sha256);
        var revisionTag = ImageTags.FromRevision(release.SourceRevision, release.Sha256);
        var reference = $"{request.ImageRepository}:{versionTag}";
        var imagePath = Path.Combine(request.OutputDirectory, ContainerImage.FileName);

        var driftBaseline = await DriftBaselineSha256Async(release, cancellationToken);
        var reusable = await ReusableImageAsync(reference, release, serverBuild, driftBaseline, cancellationToken);
        string imageId;
        long sizeBytes;
        if (reusable is not null)
        {
            (imageId, sizeBytes) = (reusable.Id, reusable.SizeBytes);
            log($"reused image {reference} ({imageId[..Math.Min(19, imageId.Length)]}; same model and server)");
            await docker.TagImageAsync(imageId, request.ImageRepository, revisionTag, cancellationToken);
        }
        else
        {
            var context = await ContainerContext.LayOutAsync(request, Path.Combine(request.OutputDirectory, "context"), cancellationToken);
            imageId = await docker.BuildImageAsync(new BuildRequest(BuildContext.FromDirectory(context))
            {
                Tags = [reference, $"{request.ImageRepository}:{revisionTag}"],
                BuildArgs = new Dictionary<string, string>
                {
                    ["BASE_IMAGE"] = baseImage,
                    ["VERSION"] = release.Version,
                    ["REVISION"] = release.SourceRevision,
                    ["CREATED"] = request.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                    ["MODEL_NAME"] = release.ModelName,
                    ["MODEL_SHA256"] = release.Sha256,
                    ["SERVER_BUILD"] = serverBuild,
                    ["DRIFT_BASELINE_SHA256"] = driftBaseline,
                },
            }, new Progress<BuildProgress>(p => { if (p.Kind is BuildProgressKind.Output or BuildProgressKind.Error) log(p.Text); }), cancellationToken);
            sizeBytes = (await docker.InspectImageAsync(imageId, cancellationToken)).SizeBytes;
            log($"built {reference} ({sizeBytes / 1_000_000.0:F1} MB)");
        }

        // Pushed on reuse too: the registry must hold the image (Rollback pulls from it), and a push of layers it
        // already has only asks for them, which is cheap.
        string? digest = null;
        foreach (var tag in new[] { versionTag, revisionTag })
        {
            var pushed = await docker.PushImageAsync(request.ImageRepository, tag, request.RegistryCredentials, null, cancellationToken);
            digest = pushed.Digest;
            log($"pushed {request.ImageRepository}:{tag} {pushed.Digest}");
        }

        // The smoke test proved this exact image before (same id): its record is kept instead of starting a container again.
        var smoked = reusable is null ? null : await PreviousRecordOfAsync(imagePath, imageId, cancellationToken);
        var (samples, maxDifference, idleMemory) = smoked is not null
            ? (smoked.SmokeSamples, smoked.SmokeMaxDifference, smoked.IdleMemoryBytes)
            : await SmokeTestAsync(request, reference, cancellationToken);
        if (smoked is not null)
            log($"smoke test of this image already passed on {smoked.SmokeSamples} images (largest difference {smoked.SmokeMaxDifference:G3}): not repeated");

        var result = new ContainerImage(reference, [versionTag, revisionTag], imageId, baseImage, sizeBytes, digest, idleMemory, samples, maxDifference,
            serverBuild, Reused: reusable is not null);
        await AtomicFile.WriteAllTextAsync(imagePath, JsonSerializer.Serialize(result, StageJson.Options), cancellationToken);
        return result;
    }

    /// <summary>The image already tagged for this version when it carries the same model SHA-256, version, server build and drift baseline.</summary>
    private async Task<ImageDetails?> ReusableImageAsync(string reference, ReleaseManifest release, string serverBuild, string driftBaseline,
        CancellationToken cancellationToken)
    {
        ImageDetails existing;
        try
        {
            existing = await docker.InspectImageAsync(reference, cancellationToken);
        }
        catch (DockerException e) when (e.IsNotFound)
        {
            return null;
        }
        var differences = new List<string>();
        if (existing.Labels.GetValueOrDefault(ContainerImage.ModelSha256Label) != release.Sha256) differences.Add("model SHA-256");
        if (existing.Labels.GetValueOrDefault("org.opencontainers.image.version") != release.Version) differences.Add("model version");
        if (existing.Labels.GetValueOrDefault(ServerBuild.Label) != serverBuild) differences.Add("server build");
        // An image built before Validate recorded a baseline (or from another one) must not be reused: it would serve without drift metrics.
        if (existing.Labels.GetValueOrDefault(DriftBaselineLabel, "") != driftBaseline) differences.Add("drift baseline");
        if (differences.Count == 0) return existing;
        log($"rebuilding {reference}: the existing image has another {string.Join(" and ", differences)}");
        return null;
    }

    private static async Task<string> DriftBaselineSha256Async(ReleaseManifest release, CancellationToken cancellationToken)
    {
        if (release.DriftBaselinePath is not { } path || !File.Exists(path)) return "";
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file, cancellationToken));
    }

    private static async Task<ContainerImage?> PreviousRecordOfAsync(string imagePath, string imageId, CancellationToken cancellationToken)
    {
        if (!File.Exists(imagePath)) return null;
        try
        {
            var previous = await ContainerImage.ReadAsync(imagePath, cancellationToken);
            return previous.ImageId == imageId && previous.SmokeSamples > 0 ? previous : null;
        }
        catch (JsonException)
        {
            return null; // an unreadable record is not evidence; the smoke test runs again
        }
    }

    private async Task<(int Samples, double MaxDifference, long IdleMemory)> SmokeTestAsync(ContainerizeRequest request, string reference, CancellationToken cancellationToken)
    {
        await using var container = await ServingContainer.StartAsync(docker, reference, $"mlops-smoke-{Guid.NewGuid():N}"[..20], log, cancellationToken,
            keys: request.ApiKeys);
        using var http = new HttpClient { BaseAddress = container.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var client = new OpenInferenceClient(http, request.Release.ModelName, request.ApiKeys?.Key);
        await container.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(60), cancellationToken);

        var smoke = await new ModelSmokeTest(ort, log).RunAsync(client, request.Release.Version, request.Release.ModelPath,
            request.Data, request.SmokeSamples, container.LogTailAsync, cancellationToken);

        var idle = await container.MemoryWorkingSetAsync(cancellationToken);
        var exitCode = await container.StopAsync(cancellationToken);
        if (exitCode != 0)
            throw new InvalidOperationException($"The container exited with {exitCode} on SIGTERM instead of 0. Logs:\n{await container.LogTailAsync(cancellationToken)}");
        log($"stopped with SIGTERM: exit code 0; memory working set when idle {idle / 1_000_000.0:F1} MB");
        return (smoke.Samples, smoke.MaxDifference, idle);
    }

    private static async Task VerifyModelAsync(ReleaseManifest release, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(release.ModelPath);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        if (actual != release.Sha256)
            throw new InvalidOperationException(
                $"{release.ModelPath} has SHA-256 {actual}, but Validate registered {release.Version} as {release.Sha256}: run ./build.sh Validate again.");
    }
}
