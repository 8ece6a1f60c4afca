using System.Net;
using System.Text;
using System.Text.Json;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

/// <summary>The server as a real child process: refusing to start, and draining on SIGTERM.</summary>
[Collection(ServingCollection.Name)]
public sealed class ProcessTests(ServingFixture fixture)
{
    [Fact]
    public async Task A_model_whose_SHA256_differs_from_the_expected_one_is_refused_with_exit_code_2()
    {
        var wrong = new string('a', 64);
        using var server = ServerProcess.Start("--model-path", fixture.ModelPath, "--model-sha256", wrong, "--port", "0", "--grpc-port", "0");

        var exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(fixture.ModelPath)));
        Assert.Contains($"has SHA-256 {actual}, but {wrong} is expected", server.Stderr);
        Assert.Contains("refusing to start", server.Stderr);
    }

    [Fact]
    public async Task Invalid_settings_are_all_reported_with_exit_code_2()
    {
        using var server = ServerProcess.Start("--port", "70000", "--max-batch-size", "lots", "--model-path", fixture.ModelPath);

        var exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("--max-batch-size: 'lots' is not a whole number.", server.Stderr);
    }

    [Fact]
    public async Task SIGTERM_drops_readiness_lets_in_flight_requests_finish_and_exits_0()
    {
        using var server = ServerProcess.Start(
            "--model-path", fixture.ModelPath, "--bind-address", "127.0.0.1", "--port", "0", "--grpc-port", "0", "--warmup-runs", "1", "--log-format", "json");
        using var client = new HttpClient { BaseAddress = await server.WaitForAddressAsync(), Timeout = TimeSpan.FromSeconds(20) };
        await Poll.UntilAsync(async () => (await client.GetAsync("/v2/health/ready")).StatusCode == HttpStatusCode.OK, "readiness");
        var pixels = Enumerable.Range(0, 3).Select(i => TestModels.Pixels(1, seed: 80 + i)).ToArray();
        var held = pixels.Select(p => new HeldRequestContent(Encoding.UTF8.GetBytes(InferRequests.Json(p).ToJsonString()))).ToArray();
        var responses = held.Select(h => client.PostAsync("/v2/models/fashion-mnist/infer", h)).ToArray();
        await Poll.UntilAsync(async () => PrometheusMetrics.Parse(await client.GetStringAsync("/metrics"))["nv_inference_pending_request_count"] == 3,
            "three requests in flight");

        server.Terminate();
        await server.WaitForOutputAsync("Stopping: readiness is now false; draining 3 in-flight inference requests");
        foreach (var h in held) h.Release();

        for (var i = 0; i < pixels.Length; i++) AssertMatchesReference(await ReadJsonAsync(await responses[i]), fixture.Reference, pixels[i]);
        Assert.Equal(0, await server.WaitForExitAsync());
        // Structured logs: one JSON object per line, none of them carrying request content.
        var messages = server.Stdout.Split('\n').Select(line => JsonDocument.Parse(line).RootElement.GetProperty("Message").GetString()!).ToArray();
        Assert.Contains("Stopped", messages);
        Assert.DoesNotContain(messages, m => m.Contains("\"inputs\"", StringComparison.Ordinal));
    }
}
