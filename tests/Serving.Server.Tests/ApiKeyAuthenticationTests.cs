using System.Net;
using System.Net.Http.Headers;
using Serving.Server.Configuration;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.ApiKeyFiles;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class ApiKeyAuthenticationTests(ServingFixture fixture)
{
    private const string Message = "A valid API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.";

    [Fact]
    public async Task A_missing_or_wrong_key_gets_the_same_401_with_a_Bearer_challenge()
    {
        await using var server = await StartWithKeyFileAsync(Line("client-a", FirstSecret));

        var answers = new List<(HttpStatusCode Status, string? Challenge, string? ContentType, string Body)>();
        foreach (var credential in (Action<HttpRequestHeaders>?[])
                 [null, h => h.Authorization = new AuthenticationHeaderValue("Bearer", WrongSecret), h => h.Add("X-API-Key", WrongSecret),
                  h => h.Authorization = new AuthenticationHeaderValue("Basic", FirstSecret)])
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, server.InferPath) { Content = InferRequests.Content(InferRequests.Json(TestModels.Pixels(1, 1))) };
            credential?.Invoke(request.Headers);
            using var response = await server.Client.SendAsync(request);
            answers.Add((response.StatusCode, response.Headers.WwwAuthenticate.ToString(), response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadAsStringAsync()));
        }

        Assert.Equal((HttpStatusCode.Unauthorized, "Bearer realm=\"mlops-serving\"", "application/json"), (answers[0].Status, answers[0].Challenge, answers[0].ContentType));
        Assert.Equal(Message, System.Text.Json.JsonDocument.Parse(answers[0].Body).RootElement.GetProperty("error").GetString());
        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
    }

    [Fact]
    public async Task The_key_works_as_a_Bearer_token_and_as_X_API_Key()
    {
        await using var server = await StartWithKeyFileAsync(Line("client-a", FirstSecret) + Line("client-b", SecondSecret));
        var pixels = TestModels.Pixels(rows: 2, seed: 3);

        using var bearer = new HttpRequestMessage(HttpMethod.Post, server.InferPath) { Content = InferRequests.Content(InferRequests.Json(pixels)) };
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FirstSecret);
        AssertMatchesReference(await ReadJsonAsync(await server.Client.SendAsync(bearer)), fixture.Reference, pixels);

        using var apiKey = new HttpRequestMessage(HttpMethod.Post, server.InferPath) { Content = InferRequests.Content(InferRequests.Json(pixels)) };
        apiKey.Headers.Add("X-API-Key", SecondSecret);
        AssertMatchesReference(await ReadJsonAsync(await server.Client.SendAsync(apiKey)), fixture.Reference, pixels);
    }

    [Theory]
    [InlineData("/v2/health/live")]
    [InlineData("/v2/health/ready")]
    [InlineData("/v2/models/fashion-mnist/ready")]
    [InlineData("/v2/models/fashion-mnist/versions/7/ready")]
    [InlineData("/metrics")]
    public async Task Health_readiness_and_metrics_need_no_key(string path)
    {
        await using var server = await StartWithKeyFileAsync(Line("client-a", FirstSecret));

        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v2")]
    [InlineData("/v2/models/fashion-mnist")]
    [InlineData("/v2/models/fashion-mnist/versions/7")]
    // Paths nothing serves are protected too: without a key one cannot even learn which routes exist.
    [InlineData("/v2/unknown")]
    [InlineData("/v2/health/live/extra")]
    public async Task Metadata_and_everything_else_needs_a_key(string path)
    {
        await using var server = await StartWithKeyFileAsync(Line("client-a", FirstSecret));

        Assert.Equal(Message, await ReadErrorAsync(await server.Client.GetAsync(path), HttpStatusCode.Unauthorized));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", FirstSecret);
        using var response = await server.Client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_requests_by_key_id_and_refusals_and_never_show_a_secret()
    {
        await using var server = await StartWithKeyFileAsync(Line("client-a", FirstSecret) + Line("client-b", SecondSecret));
        var before = await server.GetSeriesAsync();
        Assert.Equal(0, before.Value("mlops_unauthenticated_requests_total", ("model", "fashion-mnist"), ("version", "7")));
        Assert.Single(before.Where("mlops_unauthenticated_requests_total"));
        Assert.Single(before.Where("mlops_inference_requests_total", ("code", "401")));

        for (var i = 0; i < 3; i++) await InferAsync(server, ("X-API-Key", FirstSecret));
        await InferAsync(server, ("Authorization", "Bearer " + SecondSecret));
        await InferAsync(server);
        await InferAsync(server, ("X-API-Key", WrongSecret));
        using (var metadata = new HttpRequestMessage(HttpMethod.Get, "/v2"))
        {
            metadata.Headers.Add("X-API-Key", SecondSecret);
            (await server.Client.SendAsync(metadata)).Dispose();
        }

        (await server.Client.GetAsync("/v2/models/fashion-mnist")).Dispose();
        var after = await server.GetSeriesAsync();

        Assert.Equal(3, after.Value("mlops_authenticated_requests_total", ("model", "fashion-mnist"), ("version", "7"), ("key_id", "client-a")));
        Assert.Equal(2, after.Value("mlops_authenticated_requests_total", ("key_id", "client-b")));
        Assert.Equal(3, after.Value("mlops_unauthenticated_requests_total", ("model", "fashion-mnist"), ("version", "7")));
        // Refused infer calls count as infer requests with code 401; the refused metadata call does not.
        Assert.Equal(2, after.Value("mlops_inference_requests_total", ("code", "401")));
        Assert.Equal(4, after.Value("mlops_inference_requests_total", ("code", "200")));
        foreach (var secret in (string[])[FirstSecret, SecondSecret, WrongSecret]) Assert.DoesNotContain(secret, after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_from_SERVING_API_KEYS_is_accepted()
    {
        var environment = new Dictionary<string, string>
        {
            ["SERVING_MODEL_PATH"] = fixture.ModelPath,
            ["SERVING_BIND_ADDRESS"] = "127.0.0.1",
            ["SERVING_PORT"] = "0",
            ["SERVING_WARMUP_RUNS"] = "1",
            ["SERVING_API_KEYS"] = "# from a Secret\n" + Line("from-env", FirstSecret),
        };
        var options = ServerOptionsReader.Read([], environment.GetValueOrDefault);
        await using var server = await TestServer.StartAsync(fixture, options);

        Assert.Equal(HttpStatusCode.Unauthorized, await InferAsync(server, ("X-API-Key", SecondSecret)));
        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", FirstSecret)));
        Assert.Equal(1, (await server.GetSeriesAsync()).Value("mlops_authenticated_requests_total", ("key_id", "from-env")));
    }

    [Fact]
    public async Task Without_keys_everything_is_open_and_no_authentication_metrics_exist()
    {
        await using var server = await TestServer.StartAsync(fixture);

        Assert.Equal(HttpStatusCode.OK, await InferAsync(server));
        var metrics = await server.GetSeriesAsync();
        Assert.Empty(metrics.Where("mlops_unauthenticated_requests_total"));
        Assert.Empty(metrics.Where("mlops_authenticated_requests_total"));
    }

    [Fact]
    public async Task An_unusable_key_file_refuses_to_start_naming_the_line_and_not_the_secret()
    {
        var path = fixture.TempFile($"keys-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, Line("ok", FirstSecret) + "short:" + "tiny-" + "\n");

        var error = Assert.Throws<Serving.Server.Hosting.ServerStartupException>(() =>
            Serving.Server.Hosting.ServingServer.Create(TestServer.DefaultOptions(fixture) with { ApiKeysFile = path }, fixture.Environment));

        Assert.Equal($"The API key file '{path}' is unusable: line 2 (key 'short'): the secret is 5 characters long; use at least 16 (e.g. 32 random bytes in base64url). " +
                     "Each line is <key-id>:<secret>.", error.Message);
        Assert.DoesNotContain(FirstSecret, error.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<Serving.Server.Hosting.ServerStartupException>(() =>
            Serving.Server.Hosting.ServingServer.Create(TestServer.DefaultOptions(fixture) with { ApiKeysFile = path + ".absent" }, fixture.Environment));
        Assert.StartsWith($"Cannot read the API key file '{path}.absent'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("--api-keys-file / SERVING_API_KEYS_FILE", missing.Message);
    }

    private async Task<TestServer> StartWithKeyFileAsync(string content)
    {
        var path = fixture.TempFile($"keys-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, content);
        return await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { ApiKeysFile = path });
    }

    internal static async Task<HttpStatusCode> InferAsync(TestServer server, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.InferPath) { Content = InferRequests.Content(InferRequests.Json(TestModels.Pixels(1, 5))) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }
}
