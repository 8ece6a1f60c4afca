using Pipeline.ModelRegistry;

namespace Pipeline.Stages;

/// <summary>Finds what the load test compares a candidate with: the version in production for the environment, if any.</summary>
public static class LoadTestBaselines
{
    /// <summary>
    /// The production version of <paramref name="modelName"/> in <paramref name="environment"/>, with its image (pulled
    /// if the engine lacks it) and its model file exported into <paramref name="directory"/>; null when nothing is in
    /// production, or when its image cannot be had (the absolute thresholds then decide, and the log says why).
    /// </summary>
    /// <param name="candidateVersion">The version under test: when it is the one in production, there is nothing else to compare with.</param>
    public static Task<LoadTestBaseline?> FindAsync(IModelRegistry registry, ServingImages images, string environment, string modelName,
        string candidateVersion, string directory, Action<string> log, CancellationToken cancellationToken) =>
        FindAsync(registry, images, new ReleaseTarget(environment), modelName, candidateVersion, directory, log, cancellationToken);

    /// <summary>As above, for one release target (a cluster namespace of the environment).</summary>
    public static async Task<LoadTestBaseline?> FindAsync(IModelRegistry registry, ServingImages images, ReleaseTarget target, string modelName,
        string candidateVersion, string directory, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(target);
        var environment = target.ToString();
        var production = await registry.GetProductionAsync(target, cancellationToken);
        if (production is null || production.ModelName != modelName)
        {
            log($"nothing of {modelName} in production in {environment}: a first release, the absolute thresholds decide");
            return null;
        }
        if (production.VersionId == candidateVersion)
        {
            log($"{candidateVersion} is already the version in production in {environment}: nothing else to compare with, the absolute thresholds decide");
            return null;
        }

        string image;
        try
        {
            image = await images.EnsureAsync(production.VersionId, production.Sha256, cancellationToken);
        }
        catch (DeployFailedException e)
        {
            log($"warning: production {production.VersionId} cannot be loaded for comparison ({e.Message}); the absolute thresholds decide");
            return null;
        }

        Directory.CreateDirectory(directory);
        var modelPath = Path.Combine(directory, $"production-{production.Sha256[..12]}.onnx");
        await registry.ExportBlobAsync(production.VersionId, modelPath, cancellationToken);
        log($"comparing with production {production.VersionId} ({image}), loaded side by side");
        return new LoadTestBaseline(production.VersionId, image, modelPath);
    }
}
