using System.Security.Cryptography;
using Pipeline.Docker;
using Pipeline.Processes;
using Pipeline.Stages;
using TestSupport;

namespace Pipeline.Stages.Tests;

/// <summary>Containerize on the real Docker engine and registry: an image with the same model SHA-256 and server build is
/// reused; a changed server or model is rebuilt.</summary>
[Collection(PipelineRunCollection.Name)]
public sealed class ContainerImageReuseTests(PipelineRunFixture run)
{
    [Fact]
    public async Task Containerize_again_for_the_same_model_and_server_reuses_the_image_and_keeps_it_in_the_registry()
    {
        var built = await run.Container.ImageAsync();
        using var output = new TemporaryDirectory();
        var log = new TestLog();
        var request = run.Container.Request! with { OutputDirectory = output.Path };

        var first = await Stage(log).RunAsync(request, CancellationToken.None);
        var second = await Stage(log).RunAsync(request, CancellationToken.None);

        Assert.False(built.Reused);
        Assert.Equal((true, built.ImageId, built.ServerBuild), (first.Reused, first.ImageId, first.ServerBuild));
        Assert.Equal((true, built.ImageId), (second.Reused, second.ImageId));
        Assert.Equal(built.PushedDigest, second.PushedDigest);
        Assert.Contains(log, line => line.StartsWith($"reused image {built.Reference} (", StringComparison.Ordinal) && line.EndsWith("same model and server)", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.StartsWith("built ", StringComparison.Ordinal));
        // The first reuse in a fresh output directory has no smoke record of this image, so it smoke-tests; the second keeps that record.
        Assert.Single(log, line => line.StartsWith("smoke test: ", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("not repeated", StringComparison.Ordinal));
        Assert.Equal(16, second.SmokeSamples);
        var details = await run.Container.Docker.InspectImageAsync(second.Reference, CancellationToken.None);
        Assert.Equal(second.ServerBuild, details.Labels[ServerBuild.Label]);
    }

    [Fact]
    public async Task A_changed_server_is_rebuilt_though_the_model_is_the_same()
    {
        await run.Container.ImageAsync();
        using var output = new TemporaryDirectory();
        var log = new TestLog();
        var repository = $"{run.Container.Repository}-server-{Guid.NewGuid():N}"[..^20];
        var request = run.Container.Request! with { OutputDirectory = output.Path, ImageRepository = repository };
        var changedApp = output.File("changed-app");
        CopyDirectory(request.PublishedAppDirectory, changedApp);
        File.AppendAllText(Path.Combine(changedApp, "Serving.Server.runtimeconfig.json"), "\n");
        try
        {
            var original = await Stage(log).RunAsync(request, CancellationToken.None);
            var changed = await Stage(log).RunAsync(request with { PublishedAppDirectory = changedApp }, CancellationToken.None);

            Assert.False(changed.Reused);
            Assert.NotEqual(original.ServerBuild, changed.ServerBuild);
            Assert.NotEqual(original.ImageId, changed.ImageId);
            Assert.Contains(log, line => line.Contains("rebuilding", StringComparison.Ordinal) && line.Contains("another server build", StringComparison.Ordinal));
            Assert.DoesNotContain(log, line => line.Contains("another model", StringComparison.Ordinal));
        }
        finally
        {
            await RemoveRepositoryAsync(repository);
        }
    }

    [Fact]
    public async Task A_changed_model_under_the_same_version_gets_its_own_tag_and_image_and_leaves_the_first_one_alone()
    {
        await run.Container.ImageAsync();
        using var output = new TemporaryDirectory();
        var log = new TestLog();
        var repository = $"{run.Container.Repository}-model-{Guid.NewGuid():N}"[..^20];
        var request = run.Container.Request! with { OutputDirectory = output.Path, ImageRepository = repository };
        var otherModel = run.Candidates().Select(c => c.Path).First(p => p != request.Release.ModelPath && File.Exists(p));
        var otherRelease = request.Release with { ModelPath = otherModel, Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(otherModel))) };
        try
        {
            var original = await Stage(log).RunAsync(request, CancellationToken.None);
            var changed = await Stage(log).RunAsync(request with { Release = otherRelease }, CancellationToken.None);

            // Tags carry the model's SHA-256 prefix: two models issued the same version (another registry, another
            // runner) can no longer overwrite each other's tag in a shared image registry.
            Assert.False(changed.Reused);
            Assert.Equal(original.ServerBuild, changed.ServerBuild);
            Assert.NotEqual(original.ImageId, changed.ImageId);
            Assert.NotEqual(original.Reference, changed.Reference);
            Assert.EndsWith(otherRelease.Sha256[..12], changed.Reference, StringComparison.Ordinal);
            var details = await run.Container.Docker.InspectImageAsync(changed.Reference, CancellationToken.None);
            Assert.Equal(otherRelease.Sha256, details.Labels["io.mlops.model.sha256"]);
            var first = await run.Container.Docker.InspectImageAsync(original.Reference, CancellationToken.None);
            Assert.Equal((original.ImageId, request.Release.Sha256), (first.Id, first.Labels["io.mlops.model.sha256"]));
        }
        finally
        {
            await RemoveRepositoryAsync(repository);
        }
    }

    private ContainerizeStage Stage(TestLog log) => new(run.Container.Docker, new ProcessRunner(), run.Ort, log.Add);

    // Only images this test built, by its own repository name.
    private async Task RemoveRepositoryAsync(string repository)
    {
        foreach (var image in await run.Container.Docker.ListImagesAsync(null, CancellationToken.None))
            foreach (var tag in image.RepoTags.Where(t => t.StartsWith(repository + ":", StringComparison.Ordinal)))
                try { await run.Container.Docker.RemoveImageAsync(tag, force: true, CancellationToken.None); } catch (DockerException) { }
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
