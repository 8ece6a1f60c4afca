using System.Net;
using System.Text;
using Pipeline.Docker;
using Pipeline.Stages;

namespace Pipeline.Stages.Tests;

/// <summary>The real serving image on the real Docker engine: protocol, hardening, labels, refusal and shutdown.</summary>
[Collection(PipelineRunCollection.Name)]
public sealed class ContainerizeTests(PipelineRunFixture run)
{
    [Fact]
    public async Task The_image_is_small_labelled_and_recorded()
    {
        var image = await run.Container.ImageAsync();
        var details = await run.Container.Docker.InspectImageAsync(image.ImageId, CancellationToken.None);

        Assert.InRange(image.SizeBytes, 1, 250_000_000);
        Assert.Equal(run.Container.Release!.Version, details.Labels["org.opencontainers.image.version"]);
        Assert.Equal(run.Container.Release.SourceRevision, details.Labels["org.opencontainers.image.revision"]);
        Assert.Equal(run.Container.Release.Sha256, details.Labels["io.mlops.model.sha256"]);
        Assert.Contains(ImageTags.ForModel(run.Container.Release.Version, run.Container.Release.Sha256), image.Tags);
        Assert.Equal(16, image.SmokeSamples);
        Assert.InRange(image.SmokeMaxDifference, 0, ContainerizeStage.SmokeTolerance);
        Assert.False(string.IsNullOrEmpty(image.PushedDigest));
    }

    [Fact]
    public async Task Every_protocol_endpoint_answers_from_the_hardened_container_and_SIGTERM_exits_0()
    {
        var image = await run.Container.ImageAsync();
        await using var container = await ServingContainer.StartAsync(run.Container.Docker, image.Reference, $"stage-test-{Guid.NewGuid():N}"[..20],
            run.Log.Add, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = container.BaseAddress };
        var client = new OpenInferenceClient(http, "fashion-mnist");
        await container.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(60), CancellationToken.None);
        var version = run.Container.Release!.Version;

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v2/health/live")).StatusCode);
        Assert.Contains("binary_tensor_data", await http.GetStringAsync("/v2"));
        Assert.Equal([version], await client.ModelVersionsAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/v2/models/fashion-mnist/versions/{Uri.EscapeDataString(version)}/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v2/models/no-such-model")).StatusCode);

        var answer = await client.InferAsync(new float[2 * 784], 784, CancellationToken.None);
        Assert.Equal(20, answer.Probabilities.Length);
        Assert.Equal(2, answer.Labels.Length);
        var bad = await http.PostAsync("/v2/models/fashion-mnist/infer", new StringContent("{\"inputs\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"error\"", await bad.Content.ReadAsStringAsync());

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains($"nv_inference_request_success{{model=\"fashion-mnist\",version=\"{version}\"}} 1", metrics);
        Assert.Contains($"nv_inference_request_failure{{model=\"fashion-mnist\",version=\"{version}\"}} 1", metrics);
        Assert.Contains($"mlops_inference_requests_total{{model=\"fashion-mnist\",version=\"{version}\",code=\"200\"}} 1", metrics);
        Assert.Contains($"mlops_inference_requests_total{{model=\"fashion-mnist\",version=\"{version}\",code=\"400\"}} 1", metrics);
        // The image carries the version's drift baseline beside the model, and the server found it there: two all-black
        // rows have pixel mean 0, in the first bin.
        Assert.Contains($"mlops_drift_bin_total{{model=\"fashion-mnist\",version=\"{version}\",quantity=\"input:input:mean\",bin=\"0\"}} 2", metrics);
        Assert.Contains($"mlops_drift_baseline_ratio{{model=\"fashion-mnist\",version=\"{version}\",quantity=\"prediction:class\",bin=\"9\"}}", metrics);

        Assert.Equal(0, await container.StopAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_container_runs_as_non_root_with_a_read_only_root_file_system()
    {
        var image = await run.Container.ImageAsync();
        var spec = ServingContainer.Hardened(image.Reference, $"stage-test-{Guid.NewGuid():N}"[..20], 0) with
        {
            Entrypoint = ["/bin/sh", "-c"],
            Command = ["id -u; touch /app/x 2>/dev/null && echo app-writable; touch /x 2>/dev/null && echo root-writable; touch /tmp/x && echo tmp-writable"],
        };
        var created = await run.Container.Docker.CreateContainerAsync(spec, CancellationToken.None);
        try
        {
            await run.Container.Docker.StartContainerAsync(created.Id, CancellationToken.None);
            await run.Container.Docker.WaitContainerAsync(created.Id, CancellationToken.None);
            var output = (await run.Container.Docker.GetLogsAsync(created.Id, null, CancellationToken.None)).StandardOutput;
            Assert.Equal(["10001", "tmp-writable"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        finally
        {
            await run.Container.Docker.RemoveContainerAsync(created.Id, force: true, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_container_refuses_to_start_when_the_model_is_not_the_registered_one()
    {
        var image = await run.Container.ImageAsync();
        var spec = ServingContainer.Hardened(image.Reference, $"stage-test-{Guid.NewGuid():N}"[..20], 0) with
        {
            Environment = new Dictionary<string, string> { ["SERVING_MODEL_SHA256"] = new string('0', 64) },
        };
        var created = await run.Container.Docker.CreateContainerAsync(spec, CancellationToken.None);
        try
        {
            await run.Container.Docker.StartContainerAsync(created.Id, CancellationToken.None);
            Assert.Equal(2, await run.Container.Docker.WaitContainerAsync(created.Id, CancellationToken.None));
            var logs = (await run.Container.Docker.GetLogsAsync(created.Id, null, CancellationToken.None)).Combined;
            Assert.Contains(run.Container.Release!.Sha256, logs);
        }
        finally
        {
            await run.Container.Docker.RemoveContainerAsync(created.Id, force: true, CancellationToken.None);
        }
    }
}
