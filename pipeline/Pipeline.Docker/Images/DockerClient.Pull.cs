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
        string? error = null;
        var messages = new SynchronousProgress<JSONMessage>(message =>
        {
            error ??= ProgressMessages.Error(message);
            if (ProgressMessages.Line(message) is { } line)
            {
                progress?.Report(Redact(credentials, line));
            }
        });

        await RunRedactedAsync(operation, credentials, (client, token) => client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = image, Tag = tag }, credentials?.ToAuthConfig(), messages, token), cancellationToken)
            .ConfigureAwait(false);
        if (error is not null)
        {
            throw new DockerException($"Cannot {operation}: {Redact(credentials, error)}", engineMessage: Redact(credentials, error));
        }

        return (await InspectImageAsync(reference, cancellationToken).ConfigureAwait(false)).Id;
    }
}
