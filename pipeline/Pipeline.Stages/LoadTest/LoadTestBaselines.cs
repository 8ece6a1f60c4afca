using Pipeline.ModelRegistry;

namespace Pipeline.Stages;

/// <summary>Finds what the load test compares a candidate with: the version in production for the environment, if any.</summary>
public static class LoadTestBaselines
{
    /// <summary>
    /// The production version of <paramref name="modelName"/> in <paramref name="target"/>, with its image (pulled if the
    /// engine lacks it) and its model file exported into <paramref name="directory"/>; no baseline when nothing is in
    /// production, when the candidate is what serves, or when its image cannot be had (the absolute thresholds then
    /// decide, and the log says why).
    /// </summary>
    /// <param name="candidateVersion">The version under test: when it is the one in production, there is nothing else to compare with.</param>
    public static async Task<ProductionComparison> FindAsync(IModelRegistry registry, ServingImages images, ReleaseTarget target, string modelName,
        string candidateVersion, string directory, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(target);
        var environment = target.ToString();
        var production = await registry.GetProductionAsync(target, cancellationToken);
        if (production is null || production.ModelName != modelName)
        {
            log($"nothing of {modelName} in production in {environment}: a first release, the absolute thresholds decide");
            return new ProductionComparison(null, CandidateServing: false);
        }
        if (production.VersionId == candidateVersion)
        {
            log($"{candidateVersion} is already the version in production in {environment}: nothing else to compare with, the absolute thresholds decide");
            return new ProductionComparison(null, CandidateServing: true);
        }

        string image;
        try
        {
            image = await images.EnsureAsync(production.VersionId, production.Sha256, cancellationToken);
        }
        catch (DeployFailedException e)
        {
            log($"warning: production {production.VersionId} cannot be loaded for comparison ({e.Message}); the absolute thresholds decide");
            return new ProductionComparison(null, CandidateServing: false);
        }

        Directory.CreateDirectory(directory);
        var modelPath = Path.Combine(directory, $"production-{production.Sha256[..12]}.onnx");
        await registry.ExportBlobAsync(production.VersionId, modelPath, cancellationToken);
        log($"comparing with production {production.VersionId} ({image}), loaded side by side");
        return new ProductionComparison(new LoadTestBaseline(production.VersionId, image, modelPath), CandidateServing: false);
    }
}

/// <summary>What production means for a load test: the version to measure beside the candidate, if any, and whether the candidate is the one serving.</summary>
public sealed record ProductionComparison(LoadTestBaseline? Baseline, bool CandidateServing);
