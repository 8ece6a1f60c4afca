using System.Net;
using System.Text;
using Pipeline.Stages;

namespace Pipeline.Stages.Tests;

/// <summary>
/// End to end with the server's authentication (issue #16): the containers Deploy and LoadTest start refuse requests
/// without the key, and the pipeline's own smoke test, load test and edge checks pass because they present it.
/// </summary>
[Collection(PipelineRunCollection.Name)]
public sealed class AuthenticatedDeployTests(PipelineRunFixture run)
{
    private DeployVersionsFixture Versions => run.DeployVersions;

    [Fact]
    public async Task A_deployed_version_refuses_keyless_requests_and_the_pipelines_smoke_test_and_load_pass_with_the_key()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);

        // Deploy ran its smoke test against the new container and checked the edge's answer: both need the key.
        var deployed = await harness.DeployAsync(run, Versions.V1);

        Assert.Equal(LocalDeployment.DeployedAction, deployed.Action);
        using var keyless = new HttpClient { BaseAddress = harness.Endpoint, Timeout = TimeSpan.FromSeconds(10) };
        var metadata = await keyless.GetAsync("/v2/models/fashion-mnist");
        var infer = await keyless.PostAsync("/v2/models/fashion-mnist/infer", new StringContent("{\"inputs\":[]}", Encoding.UTF8, "application/json"));
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/v2/models/fashion-mnist") { Headers = { Authorization = new("Bearer", "not-the-key-0123456789") } };
        Assert.Equal(HttpStatusCode.Unauthorized, metadata.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, infer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await keyless.SendAsync(wrong)).StatusCode);
        Assert.Contains("A valid API key is required", await infer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await keyless.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal([Versions.V1.Version], await harness.ServedVersionsAsync());

        using var load = await ProxyLoad.CreateAsync(harness.Endpoint, run.DataDirectory, harness.ApiKeys.Key);
        var result = await load.RunAsync(50, TimeSpan.FromSeconds(3));
        Assert.True(result.Errors == 0, string.Join("\n", load.Failures.Take(5)));
        Assert.NotEmpty(load.Answers);
    }

    [Fact]
    public async Task The_load_test_stage_passes_against_a_container_that_demands_the_key()
    {
        using var output = new TestSupport.TemporaryDirectory();
        var image = await run.Container.ImageAsync();
        var request = new LoadTestRequest(image, run.Container.Release!, run.Data, output.Path,
            new LoadProfile(50, TimeSpan.FromSeconds(3)) { Warmup = TimeSpan.FromSeconds(0.5), CheckEvery = 1, DistinctImages = 100 },
            ["error_rate<0.001"]) { ApiKeys = run.Container.Request!.ApiKeys };

        var outcome = await new LoadTestStage(run.Container.Docker, run.Ort, TimeProvider.System, run.Log.Add).RunAsync(request, CancellationToken.None);

        Assert.True(outcome.Report!.Result.Errors == 0, string.Join(", ", outcome.Report.Result.StatusCodes.Select(s => $"HTTP {s.Key}={s.Value}")));
        Assert.Equal(outcome.Report.Result.Requests, outcome.Report.Result.StatusCodes[200]);
        outcome.RequirePassed();
    }
}
