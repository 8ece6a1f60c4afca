namespace Pipeline.Docker.Tests;

[Collection(DockerEngineCollection.Name)]
public sealed class ImageManagementTests(DockerEngineFixture engine)
{
    [Fact]
    public async Task Imported_root_file_system_carries_the_requested_config_changes()
    {
        var image = await engine.Client.InspectImageAsync(engine.BaseImage, CancellationToken.None);

        Assert.Equal(engine.BaseImageId, image.Id);
        Assert.Contains(engine.BaseImage, image.RepoTags);
        Assert.Equal(engine.RunId, image.Labels[DockerEngineFixture.RunLabelKey]);
        Assert.Equal("linux", image.Os);
    }

    [Fact]
    public async Task Tag_adds_a_name_list_finds_it_and_removing_the_tag_keeps_the_image()
    {
        var repository = engine.UniqueName("alias");

        await engine.Client.TagImageAsync(engine.BaseImage, repository, "v2", CancellationToken.None);

        var tagged = await engine.Client.InspectImageAsync($"{repository}:v2", CancellationToken.None);
        Assert.Equal(engine.BaseImageId, tagged.Id);
        Assert.Contains(engine.BaseImage, tagged.RepoTags);
        var listed = await engine.Client.ListImagesAsync(new ImageFilter { Reference = repository }, CancellationToken.None);
        Assert.Equal([$"{repository}:v2"], listed.Single().RepoTags.Where(tag => tag.StartsWith(repository, StringComparison.Ordinal)));

        await engine.Client.RemoveImageAsync($"{repository}:v2", force: false, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.InspectImageAsync($"{repository}:v2", CancellationToken.None));
        Assert.True(error.IsNotFound);
        Assert.Equal(engine.BaseImageId, (await engine.Client.InspectImageAsync(engine.BaseImage, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Label_filter_lists_this_runs_images_only()
    {
        var mine = await engine.Client.ListImagesAsync(new ImageFilter { Labels = [engine.RunLabel] }, CancellationToken.None);
        var otherRun = await engine.Client.ListImagesAsync(
            new ImageFilter { Labels = [$"{DockerEngineFixture.RunLabelKey}=no-such-run"] }, CancellationToken.None);

        Assert.Contains(mine, image => image.Id == engine.BaseImageId && image.Labels[DockerEngineFixture.RunLabelKey] == engine.RunId);
        Assert.Empty(otherRun);
    }

    [Fact]
    public async Task Removing_an_unknown_image_is_a_404_naming_it()
    {
        var missing = engine.UniqueName("never-built") + ":1";

        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.RemoveImageAsync(missing, force: true, CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task Importing_a_file_that_is_not_a_tar_fails_with_the_engines_reason()
    {
        using var notTar = new MemoryStream("this is not a tar archive"u8.ToArray());

        var error = await Assert.ThrowsAsync<DockerException>(() => engine.Client.ImportImageAsync(
            notTar, engine.UniqueName("broken"), "1", null, CancellationToken.None));

        Assert.StartsWith("Cannot import ", error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.EngineMessage));
    }
}
