namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// Pulls <paramref name="image"/>:<paramref name="tag"/> (the image name includes the registry host, e.g.
    /// "127.0.0.1:5000/team/model") and returns the ID the engine then has under that reference. Credentials go only
    /// into the X-Registry-Auth header and are redacted from errors.
    /// </summary>
    public async Task<string> PullImageAsync(
        string image, string tag, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var reference = $"{image}:{tag}";
        var operation = $"pull {reference}";
        var path = new QueryString("images/create").Add("fromImage", image).Add("tag", tag);
        var request = DockerRequest.Post(path.ToString(), operation) with
        {
            Headers = new Dictionary<string, string>
            {
                ["X-Registry-Auth"] = credentials?.ToHeaderValue() ?? RegistryCredentials.AnonymousHeaderValue(),
            },
        };
        string Safe(string text) => credentials?.Redact(text) ?? text;

        using (var response = await api.OpenStreamAsync(request, cancellationToken).ConfigureAwait(false))
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (var message in JsonLines.ReadAsync(stream, operation, cancellationToken).ConfigureAwait(false))
            {
                if (JsonLines.Error(message) is { } error)
                {
                    throw new DockerException($"Cannot {operation}: {Safe(error)}", engineMessage: Safe(error));
                }

                if (ProgressLine.Format(message) is { } line)
                {
                    progress?.Report(Safe(line));
                }
            }
        }

        return (await InspectImageAsync(reference, cancellationToken).ConfigureAwait(false)).Id;
    }
}
