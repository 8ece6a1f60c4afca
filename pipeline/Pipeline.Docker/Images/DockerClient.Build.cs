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

        var path = new QueryString("build")
            .Add("dockerfile", request.Dockerfile)
            .AddJson("buildargs", request.BuildArgs)
            .AddJson("labels", request.Labels)
            .Add("pull", request.Pull)
            .Add("nocache", request.NoCache)
            .Add("rm", true)
            .Add("forcerm", true);
        foreach (var tag in request.Tags)
        {
            path.Add("t", tag);
        }

        var httpRequest = DockerRequest.Post(path.ToString(), operation) with
        {
            Content = () => new StreamingContent(
                (destination, token) => request.Context.WriteTarAsync(destination, request.Dockerfile, token), "application/x-tar"),
        };
        using var response = await OpenBuildAsync(httpRequest, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var output = new BuildOutput(progress);
        await foreach (var message in JsonLines.ReadAsync(stream, operation, cancellationToken).ConfigureAwait(false))
        {
            output.Accept(message);
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

    // A Dockerfile the engine cannot parse, or cannot find in the context, is refused with an HTTP error before any step.
    private async Task<HttpResponseMessage> OpenBuildAsync(DockerRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await api.OpenStreamAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerException ex) when (ex.StatusCode is { } status && ex.EngineMessage is { Length: > 0 } message)
        {
            throw new DockerBuildException(null, [], message, null, status);
        }
    }
}
