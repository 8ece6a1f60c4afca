using Pipeline.IO;
using Pipeline.Stages;
using TestSupport;

namespace Pipeline.Stages.Tests;

/// <summary>A serving container started with the API key file (issue #16): the key reaches the server as a file only.</summary>
[Collection(PipelineRunCollection.Name)]
public sealed class ServingKeyContainerTests(PipelineRunFixture run)
{
    [Fact]
    public async Task The_key_file_is_mounted_read_only_readable_by_user_10001_and_the_secret_is_nowhere_in_docker_inspect()
    {
        var image = await run.Container.ImageAsync();
        using var directory = new TemporaryDirectory();
        var key = new ServingApiKey("pipeline-test", $"inspect-test-{Guid.NewGuid():N}");
        var keys = await ServingKeyMount.WriteAsync(directory.File("serving-keys"), "test", key, CancellationToken.None);
        var spec = ServingContainer.Hardened(image.Reference, $"stage-test-{Guid.NewGuid():N}"[..20], 0, keys: keys) with
        {
            Entrypoint = ["/bin/sh", "-c"],
            // Prints facts about the file, never its content.
            Command = ["id -u; test -r \"$SERVING_API_KEYS_FILE\" && echo readable; grep -c '^pipeline-test:' \"$SERVING_API_KEYS_FILE\"; " +
                       "echo x >> \"$SERVING_API_KEYS_FILE\" 2>/dev/null && echo writable || echo read-only"],
        };
        var created = await run.Container.Docker.CreateContainerAsync(spec, CancellationToken.None);
        try
        {
            await run.Container.Docker.StartContainerAsync(created.Id, CancellationToken.None);
            await run.Container.Docker.WaitContainerAsync(created.Id, CancellationToken.None);
            var output = (await run.Container.Docker.GetLogsAsync(created.Id, null, CancellationToken.None)).StandardOutput;
            var inspect = await run.Container.Docker.InspectContainerJsonAsync(created.Id, CancellationToken.None);

            Assert.Equal(["10001", "readable", "1", "read-only"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Contains("SERVING_API_KEYS_FILE=/run/secrets/serving-api-keys", inspect);
            Assert.Contains(keys.HostFile, inspect);
            Assert.DoesNotContain(key.Secret, inspect);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key.Secret)), inspect);
        }
        finally
        {
            await run.Container.Docker.RemoveContainerAsync(created.Id, force: true, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_serving_container_the_stages_start_carries_only_the_key_files_path_and_answers_only_with_the_key()
    {
        var image = await run.Container.ImageAsync();
        using var directory = new TemporaryDirectory();
        var key = new ServingApiKey("pipeline-test", $"serving-test-{Guid.NewGuid():N}");
        var keys = await ServingKeyMount.WriteAsync(directory.File("serving-keys"), "test", key, CancellationToken.None);

        await using var container = await ServingContainer.StartAsync(run.Container.Docker, image.Reference, $"stage-test-{Guid.NewGuid():N}"[..20],
            run.Log.Add, CancellationToken.None, keys: keys);
        using var http = new HttpClient { BaseAddress = container.BaseAddress };
        var client = new OpenInferenceClient(http, "fashion-mnist", key);
        await container.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal([run.Container.Release!.Version], await client.ModelVersionsAsync(CancellationToken.None));
        // The server read the mounted file: without the key it refuses (readiness, above, stayed open).
        var keyless = await Assert.ThrowsAsync<HttpRequestException>(() => new OpenInferenceClient(http, "fashion-mnist").ModelVersionsAsync(CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, keyless.StatusCode);
        var inspect = await run.Container.Docker.InspectContainerJsonAsync(container.Id, CancellationToken.None);
        Assert.DoesNotContain(key.Secret, inspect);
        Assert.DoesNotContain(key.Secret, await container.LogTailAsync(CancellationToken.None));
        Assert.Equal(0, await container.StopAsync(CancellationToken.None));
    }
}
