namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>Gives <paramref name="image"/> (an ID or reference) the name <paramref name="repository"/>:<paramref name="tag"/>.</summary>
    public async Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var path = new QueryString($"images/{ResourceName.ForPath(image, "image")}/tag").Add("repo", repository).Add("tag", tag);
        await api.SendAsync(DockerRequest.Post(path.ToString(), $"tag image '{image}' as {repository}:{tag}"), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        var operation = $"inspect image '{image}'";
        var json = await SendForJsonAsync(DockerRequest.Get($"images/{ResourceName.ForPath(image, "image")}/json", operation), cancellationToken)
            .ConfigureAwait(false);
        return ImageDetails.Read(json, operation);
    }

    /// <summary>
    /// Removes a tag, and the image once no tag is left (with its untagged parent layers). <paramref name="force"/>
    /// also removes an image that has several tags or that stopped containers use.
    /// </summary>
    public async Task RemoveImageAsync(string image, bool force, CancellationToken cancellationToken)
    {
        var path = new QueryString($"images/{ResourceName.ForPath(image, "image")}").Add("force", force);
        await api.SendAsync(DockerRequest.Delete(path.ToString(), $"remove image '{image}'"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ImageSummary>> ListImagesAsync(ImageFilter? filter, CancellationToken cancellationToken)
    {
        const string operation = "list images";
        filter ??= new ImageFilter();
        var path = new QueryString("images/json").Add("all", filter.IncludeIntermediate).AddJson("filters", filter.ToFilters());
        var json = await SendForJsonAsync(DockerRequest.Get(path.ToString(), operation), cancellationToken).ConfigureAwait(false);
        return json.ValueKind == JsonValueKind.Array
            ? json.EnumerateArray().Select(image => ImageSummary.Read(image, operation)).ToArray()
            : [];
    }
}
