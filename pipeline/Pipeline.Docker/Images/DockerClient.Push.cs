namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// Pushes <paramref name="image"/>:<paramref name="tag"/> (the image name includes the registry host, e.g.
    /// "127.0.0.1:5000/team/model") and returns the digest the registry stored. Progress lines look like the
    /// docker CLI's ("237ce37f91df: Pushed"). Credentials go only into the X-Registry-Auth header and the password
    /// is redacted from errors and progress.
    /// </summary>
    public async Task<PushResult> PushImageAsync(
        string image, string tag, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var reference = $"{image}:{tag}";
        var operation = $"push {reference}";
        string? error = null;
        PushResult? result = null;
        var messages = new SynchronousProgress<JSONMessage>(message =>
        {
            error ??= ProgressMessages.Error(message);
            if (ProgressMessages.AuxText(message, "Digest") is { } digest)
            {
                result = new PushResult(reference, digest, ProgressMessages.AuxNumber(message, "Size"));
            }

            if (ProgressMessages.Line(message) is { } line)
            {
                progress?.Report(Redact(credentials, line));
            }
        });

        await RunRedactedAsync(operation, credentials, (client, token) => client.Images.PushImageAsync(
            Name(image, "image"), new ImagePushParameters { Tag = tag }, credentials?.ToAuthConfig(), messages, token), cancellationToken)
            .ConfigureAwait(false);
        if (error is not null)
        {
            throw new DockerException($"Cannot {operation}: {Redact(credentials, error)}", engineMessage: Redact(credentials, error));
        }

        return result ?? throw new DockerException($"Cannot {operation}: the engine ended the push without reporting a digest");
    }

    private static string Redact(RegistryCredentials? credentials, string text) => credentials?.Redact(text) ?? text;

    // An engine or registry error can echo what it was sent; none of it may carry the password out.
    private async Task RunRedactedAsync(
        string operation, RegistryCredentials? credentials, Func<EngineClient, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await engine.RunAsync(operation, call, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerException ex) when (credentials is not null && ex is not DockerEngineUnavailableException)
        {
            throw new DockerException(credentials.Redact(ex.Message), ex.StatusCode, ex.EngineMessage is { } message ? credentials.Redact(message) : null);
        }
    }
}
