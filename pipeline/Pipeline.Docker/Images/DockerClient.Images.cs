namespace Pipeline.Docker;

public sealed partial class DockerClient
{
    /// <summary>Gives <paramref name="image"/> (an ID or reference) the name <paramref name="repository"/>:<paramref name="tag"/>.</summary>
    public Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        return engine.RunAsync($"tag image '{image}' as {repository}:{tag}",
            (client, token) => client.Images.TagImageAsync(Name(image, "image"), new ImageTagParameters { RepositoryName = repository, Tag = tag }, token),
            cancellationToken);
    }

    public Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        engine.RunAsync($"inspect image '{image}'", async (client, token) =>
            ImageDetails.Read(await client.Images.InspectImageAsync(Name(image, "image"), token).ConfigureAwait(false)), cancellationToken);

    /// <summary>
    /// Removes a tag, and the image once no tag is left (with its untagged parent layers). <paramref name="force"/>
    /// also removes an image that has several tags or that stopped containers use.
    /// </summary>
    public Task RemoveImageAsync(string image, bool force, CancellationToken cancellationToken) =>
        engine.RunAsync($"remove image '{image}'",
            (client, token) => client.Images.DeleteImageAsync(Name(image, "image"), new ImageDeleteParameters { Force = force }, token),
            cancellationToken);

    public Task<IReadOnlyList<ImageSummary>> ListImagesAsync(ImageFilter? filter, CancellationToken cancellationToken)
    {
        filter ??= new ImageFilter();
        var parameters = new ImagesListParameters { All = filter.IncludeIntermediate, Filters = filter.ToFilters() };
        return engine.RunAsync("list images", async (client, token) =>
        {
            var images = await client.Images.ListImagesAsync(parameters, token).ConfigureAwait(false);
            return (IReadOnlyList<ImageSummary>)images.Select(ImageSummary.Read).ToArray();
        }, cancellationToken);
    }
}
