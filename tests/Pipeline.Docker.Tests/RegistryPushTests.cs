using System.Net;
using System.Text.Json;

namespace Pipeline.Docker.Tests;

[Collection(DockerEngineCollection.Name)]
public sealed class RegistryPushTests(DockerEngineFixture engine, LocalRegistry registry) : IClassFixture<LocalRegistry>
{
    [Fact]
    public async Task Push_with_credentials_stores_the_image_under_the_reported_digest()
    {
        var repository = $"{registry.Address}/mlops-test/pushed-{engine.RunId}";
        await engine.Client.TagImageAsync(engine.BaseImage, repository, "1", CancellationToken.None);
        var progress = new ProgressLog<string>();

        var pushed = await engine.Client.PushImageAsync(repository, "1", registry.Credentials, progress, CancellationToken.None);

        Assert.Equal($"{repository}:1", pushed.Reference);
        Assert.Matches("^sha256:[0-9a-f]{64}$", pushed.Digest);
        Assert.True(pushed.ManifestSize > 0);
        Assert.Contains(progress.Items, line => line.EndsWith(": Pushed", StringComparison.Ordinal));
        using var catalog = await registry.GetAsync("/v2/_catalog");
        var repositories = JsonDocument.Parse(await catalog.Content.ReadAsStringAsync()).RootElement.GetProperty("repositories");
        Assert.Contains($"mlops-test/pushed-{engine.RunId}", repositories.EnumerateArray().Select(name => name.GetString()));
        using var manifest = await registry.GetAsync(
            $"/v2/mlops-test/pushed-{engine.RunId}/manifests/1", "application/vnd.docker.distribution.manifest.v2+json");
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(pushed.Digest, manifest.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task Wrong_password_fails_and_no_password_ever_appears_in_messages_or_progress()
    {
        var repository = $"{registry.Address}/mlops-test/refused-{engine.RunId}";
        await engine.Client.TagImageAsync(engine.BaseImage, repository, "1", CancellationToken.None);
        var wrong = new RegistryCredentials(LocalRegistry.Username, "wrong-" + registry.Password, registry.Address);
        var progress = new ProgressLog<string>();

        var error = await Assert.ThrowsAsync<DockerException>(
            () => engine.Client.PushImageAsync(repository, "1", wrong, progress, CancellationToken.None));

        Assert.Equal($"Cannot push {repository}:1: unauthorized: authentication required", error.Message);
        var everything = string.Join("\n", [error.ToString(), error.EngineMessage, wrong.ToString(), registry.Credentials.ToString(), .. progress.Items]);
        Assert.DoesNotContain(registry.Password, everything);
        Assert.Equal($"{LocalRegistry.Username}@{registry.Address} (password hidden)", wrong.ToString());
        using var catalog = await registry.GetAsync("/v2/_catalog");
        Assert.DoesNotContain("refused", await catalog.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Push_without_credentials_to_a_registry_that_needs_them_is_refused()
    {
        var repository = $"{registry.Address}/mlops-test/anonymous-{engine.RunId}";
        await engine.Client.TagImageAsync(engine.BaseImage, repository, "1", CancellationToken.None);

        var error = await Assert.ThrowsAsync<DockerException>(
            () => engine.Client.PushImageAsync(repository, "1", null, null, CancellationToken.None));

        Assert.StartsWith($"Cannot push {repository}:1: ", error.Message);
        Assert.Contains("basic auth", error.Message);
    }
}
