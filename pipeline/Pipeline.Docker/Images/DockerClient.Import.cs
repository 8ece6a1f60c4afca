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
        var path = new QueryString("images/create").Add("fromSrc", "-").Add("repo", repository).Add("tag", tag);
        foreach (var change in changes ?? [])
        {
            path.Add("changes", change);
        }

        var request = DockerRequest.Post(path.ToString(), operation) with { Content = () => StreamingContent.Tar(rootfsTar) };
        using var response = await api.OpenStreamAsync(request, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        string? imageId = null;
        await foreach (var message in JsonLines.ReadAsync(stream, operation, cancellationToken).ConfigureAwait(false))
        {
            if (JsonLines.Error(message) is { } error)
            {
                throw new DockerException($"Cannot {operation}: {error}", engineMessage: error);
            }

            // The last status of an import is the new image's ID.
            if (message.String("status") is { } status && status.StartsWith("sha256:", StringComparison.Ordinal))
            {
                imageId = status;
            }
        }

        return imageId ?? throw new DockerException($"Cannot {operation}: the engine did not report the new image's ID");
    }
}
