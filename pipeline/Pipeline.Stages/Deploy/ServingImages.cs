using Pipeline.Docker;

namespace Pipeline.Stages;

/// <summary>
/// The serving image of a model version: the tag Containerize pushed (<see cref="ImageTags.FromVersion"/>) in the
/// image repository, pulled from the image registry when the engine no longer has it.
/// </summary>
public sealed class ServingImages(DockerClient docker, string repository, RegistryCredentials? credentials, Action<string> log)
{
    public string ReferenceFor(string version) => $"{repository}:{ImageTags.FromVersion(version)}";

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

    /// <summary>The image reference for <paramref name="version"/>, pulled first when the engine lacks it.</summary>
    public async Task<string> EnsureAsync(string version, CancellationToken cancellationToken)
    {
        var reference = ReferenceFor(version);
        if (await IsPresentAsync(reference, cancellationToken)) return reference;
        log($"{reference} is not in the engine: pulling it from the image registry");
        try
        {
            await docker.PullImageAsync(repository, ImageTags.FromVersion(version), credentials, null, cancellationToken);
        }
        catch (DockerException e)
        {
            throw new DeployFailedException(
                $"The image of version {version} ({reference}) is neither in the Docker engine nor pullable: {e.Message}. " +
                "Containerize pushes every version it builds; run ./build.sh Setup if the image registry is down.", e);
        }
        return reference;
    }

    /// <summary>The model version an image says it serves (its org.opencontainers.image.version label), or null.</summary>
    public async Task<string?> VersionOfAsync(string reference, CancellationToken cancellationToken) =>
        (await docker.InspectImageAsync(reference, cancellationToken)).Labels.GetValueOrDefault("org.opencontainers.image.version");
}
