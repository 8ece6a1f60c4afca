namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>
    /// Creates the image <paramref name="repository"/>:<paramref name="tag"/> from a root file system tar (e.g. a
    /// Debian made by mmdebstrap) and returns its ID. The tar is streamed, not buffered, and not disposed.
    /// <paramref name="changes"/> are Dockerfile instructions applied to the image config, e.g. "CMD [\"/bin/sh\"]"
    /// or "ENV LANG=C.UTF-8" (an imported image has no config of its own).
    /// </summary>
    public async Task<string> ImportImageAsync(
        Stream rootfsTar,
        string repository,
        string tag,
        IReadOnlyList<string>? changes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rootfsTar);
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var operation = $"import {repository}:{tag} from a root file system tar";
        var parameters = new ImagesCreateParameters { Repo = repository, Tag = tag, Changes = changes is { Count: > 0 } ? [.. changes] : null };
        string? error = null;
        string? imageId = null;
        var messages = new SynchronousProgress<JSONMessage>(message =>
        {
            error ??= ProgressMessages.Error(message);
            // The last status of an import is the new image's ID.
            if (message.Status is { } status && status.StartsWith("sha256:", StringComparison.Ordinal))
            {
                imageId = status;
            }
        });

        await engine.RunAsync(operation, (client, token) => TarUpload.SendAsync(
            (tar, writeToken) => rootfsTar.CopyToAsync(tar, writeToken),
            async body =>
            {
                await client.Images.CreateImageAsync(parameters, body, null, messages, token).ConfigureAwait(false);
                return true;
            },
            token), cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw new DockerException($"Cannot {operation}: {error}", engineMessage: error);
        }

        return imageId ?? throw new DockerException($"Cannot {operation}: the engine did not report the new image's ID");
    }
}
