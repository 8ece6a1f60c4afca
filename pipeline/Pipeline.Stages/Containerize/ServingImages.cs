using Pipeline.Docker;

namespace Pipeline.Stages;

/// <summary>
/// The serving image of a model version: the tag Containerize pushed (<see cref="ImageTags.ForModel"/>) in the
/// image repository, pulled from the image registry when the engine no longer has it.
/// </summary>
public sealed class ServingImages(DockerClient docker, string repository, RegistryCredentials? credentials, Action<string> log)
{
    public string ReferenceFor(string version, string sha256) => $"{repository}:{ImageTags.ForModel(version, sha256)}";

    public async Task<bool> IsPresentAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await docker.InspectImageAsync(reference, cancellationToken);
            return true;
        }
        catch (DockerException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>The image reference for <paramref name="version"/> with the model <paramref name="sha256"/>, pulled first when the engine lacks it.</summary>
    public async Task<string> EnsureAsync(string version, string sha256, CancellationToken cancellationToken)
    {
        var reference = ReferenceFor(version, sha256);
        if (await IsPresentAsync(reference, cancellationToken)) return reference;
        log($"{reference} is not in the engine: pulling it from the image registry");
        try
        {
            await docker.PullImageAsync(repository, ImageTags.ForModel(version, sha256), credentials, null, cancellationToken);
            return reference;
        }
        catch (DockerException e)
        {
            return await LegacyAsync(version, sha256, cancellationToken) ?? throw new DeployFailedException(
                $"The image of version {version} ({reference}) is neither in the Docker engine nor pullable: {e.Message}. " +
                "Containerize pushes every version it builds; run ./build.sh Setup if the image registry is down.", e);
        }
    }

    /// <summary>The model version an image says it serves (its org.opencontainers.image.version label), or null.</summary>
    public async Task<string?> VersionOfAsync(string reference, CancellationToken cancellationToken) =>
        (await docker.InspectImageAsync(reference, cancellationToken)).Labels.GetValueOrDefault("org.opencontainers.image.version");

    /// <summary>
    /// An image built before tags carried the model's SHA-256 (tag = version alone), accepted only when its label
    /// names the same model: that tag may since hold another registry's model of the same version.
    /// </summary>
    private async Task<string?> LegacyAsync(string version, string sha256, CancellationToken cancellationToken)
    {
        var legacy = $"{repository}:{ImageTags.FromVersion(version)}";
        try
        {
            if (!await IsPresentAsync(legacy, cancellationToken))
                await docker.PullImageAsync(repository, ImageTags.FromVersion(version), credentials, null, cancellationToken);
            var labelled = (await docker.InspectImageAsync(legacy, cancellationToken)).Labels.GetValueOrDefault(ContainerImage.ModelSha256Label);
            if (labelled == sha256)
            {
                log($"using {legacy}, tagged before image tags carried the model SHA-256; its label names the same model");
                return legacy;
            }

            log($"not using {legacy}: it holds model {labelled ?? "(unlabelled)"}, not {sha256}");
            return null;
        }
        catch (DockerException)
        {
            return null;
        }
    }
}
