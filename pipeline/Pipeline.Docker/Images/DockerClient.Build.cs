namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// Builds an image with the engine's classic builder and returns its ID ("sha256:..."). Every output line is
    /// reported to <paramref name="progress"/> as it arrives; a failing step throws <see cref="DockerBuildException"/>
    /// naming the step and its last output. Intermediate containers are removed even when a step fails.
    /// </summary>
    public async Task<string> BuildImageAsync(BuildRequest request, IProgress<BuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Dockerfile);
        request.Context.Validate(request.Dockerfile);
        var operation = $"build {(request.Tags.Count > 0 ? string.Join(", ", request.Tags) : "an image")} from {request.Context.Description}";
        var parameters = new ImageBuildParameters
        {
            Dockerfile = request.Dockerfile,
            Tags = request.Tags.Count > 0 ? [.. request.Tags] : null,
            BuildArgs = request.BuildArgs.Count > 0 ? new Dictionary<string, string>(request.BuildArgs) : null,
            Labels = request.Labels.Count > 0 ? new Dictionary<string, string>(request.Labels) : null,
            Pull = request.Pull ? "1" : null,
            NoCache = request.NoCache ? true : null,
            Remove = true,
            ForceRemove = true,
        };

        var output = new BuildOutput(progress);
        try
        {
            await engine.RunAsync(operation, (client, token) => TarUpload.SendAsync(
                (tar, writeToken) => request.Context.WriteTarAsync(tar, request.Dockerfile, writeToken),
                async context =>
                {
                    await client.Images.BuildImageFromDockerfileAsync(
                        parameters, context, null, null, new SynchronousProgress<JSONMessage>(output.Accept), token).ConfigureAwait(false);
                    return true;
                },
                token), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerException ex) when (ex.StatusCode is { } status && ex.EngineMessage is { Length: > 0 } message)
        {
            // A Dockerfile the engine cannot parse, or cannot find in the context, is refused with an HTTP error before any step.
            throw new DockerBuildException(null, [], message, null, status);
        }

        output.Complete();
        if (output.ImageId is { } id)
        {
            return id;
        }

        return output.ShortImageId is { } shortId
            ? (await InspectImageAsync(shortId, cancellationToken).ConfigureAwait(false)).Id
            : throw new DockerException($"Cannot {operation}: the engine ended the build without reporting an image ID");
    }
}
