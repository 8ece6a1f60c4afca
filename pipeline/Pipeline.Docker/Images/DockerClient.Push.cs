namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// Pushes <paramref name="image"/>:<paramref name="tag"/> (the image name includes the registry host, e.g.
    /// "127.0.0.1:5000/team/model") and returns the digest the registry stored. Progress lines look like the
    /// docker CLI's ("237ce37f91df: Pushed"). Credentials go only into the X-Registry-Auth header.
    /// </summary>
    public async Task<PushResult> PushImageAsync(
        string image, string tag, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var reference = $"{image}:{tag}";
        var operation = $"push {reference}";
        var path = new QueryString($"images/{ResourceName.ForPath(image, "image")}/push").Add("tag", tag);
        var request = DockerRequest.Post(path.ToString(), operation) with
        {
            Headers = new Dictionary<string, string>
            {
                ["X-Registry-Auth"] = credentials?.ToHeaderValue() ?? RegistryCredentials.AnonymousHeaderValue(),
            },
        };
        string Safe(string text) => credentials?.Redact(text) ?? text;

        using var response = await api.OpenStreamAsync(request, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        PushResult? result = null;
        await foreach (var message in JsonLines.ReadAsync(stream, operation, cancellationToken).ConfigureAwait(false))
        {
            if (JsonLines.Error(message) is { } error)
            {
                throw new DockerException($"Cannot {operation}: {Safe(error)}", engineMessage: Safe(error));
            }

            if (message.Object("aux") is { } aux && aux.String("Digest") is { } digest)
            {
                result = new PushResult(reference, digest, aux.Int64("Size"));
            }

            if (ProgressLine.Format(message) is { } line)
            {
                progress?.Report(Safe(line));
            }
        }

        return result ?? throw new DockerException($"Cannot {operation}: the engine ended the push without reporting a digest");
    }
}
