using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Pipeline.IO;
using Pipeline.Stages;
using TestSupport;

namespace Pipeline.Stages.Tests;

/// <summary>
/// The pipeline's own requests against an in-test HTTP server that checks credentials as an authenticated serving
/// server does (issue #16): protected calls present the key, health probes stay keyless.
/// </summary>
public sealed class ServingKeyClientTests : IDisposable
{
    private static readonly ServingApiKey Key = new("pipeline-test", $"client-test-{Guid.NewGuid():N}");
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? Authorization)> _seen = new();
    private readonly Task _serving;

    public ServingKeyClientTests()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private Uri BaseAddress { get; }

    public void Dispose()
    {
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var request = context.Request;
            var path = request.Url!.AbsolutePath;
            _seen.Enqueue((request.HttpMethod, path, request.Headers["Authorization"]));
            var open = path.StartsWith("/v2/health/", StringComparison.Ordinal);
            var (status, body) = !open && request.Headers["Authorization"] != Key.BearerToken
                ? (401, """{"error":"A valid API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."}""")
                : path switch
                {
                    "/v2/health/ready" => (200, ""),
                    "/v2/models/fashion-mnist" => (200, """{"name":"fashion-mnist","versions":["1.0.0"],"platform":"onnxruntime_onnx"}"""),
                    "/v2/models/fashion-mnist/infer" => (200,
                        """{"model_version":"1.0.0","outputs":[{"name":"probabilities","datatype":"FP32","shape":[1,2],"data":[0.25,0.75]},{"name":"label","datatype":"INT64","shape":[1],"data":[1]}]}"""),
                    _ => (404, """{"error":"not found"}"""),
                };
            context.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    [Fact]
    public async Task The_smoke_tests_client_presents_the_key_on_metadata_and_infer_and_none_on_readiness()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var client = new OpenInferenceClient(http, "fashion-mnist", Key);

        Assert.True(await client.IsReadyAsync(CancellationToken.None));
        Assert.Equal(["1.0.0"], await client.ModelVersionsAsync(CancellationToken.None));
        var answer = await client.InferAsync(new float[2], 2, CancellationToken.None);

        Assert.Equal(["1"], answer.Labels);
        Assert.Equal(
            [("GET", "/v2/health/ready", null), ("GET", "/v2/models/fashion-mnist", Key.BearerToken), ("POST", "/v2/models/fashion-mnist/infer", Key.BearerToken)],
            _seen.ToArray());
    }

    [Fact]
    public async Task Without_the_key_a_protected_call_fails_with_the_servers_401_not_a_parse_error()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var client = new OpenInferenceClient(http, "fashion-mnist");

        var metadata = await Assert.ThrowsAsync<HttpRequestException>(() => client.ModelVersionsAsync(CancellationToken.None));
        var infer = await Assert.ThrowsAsync<HttpRequestException>(() => client.InferAsync(new float[2], 2, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, metadata.StatusCode);
        Assert.Contains("401", metadata.Message);
        Assert.Contains("A valid API key is required", infer.Message);
        Assert.All(_seen, request => Assert.Null(request.Authorization));
    }

    [Fact]
    public async Task The_mounted_key_file_is_readable_by_the_container_user_only_through_an_owner_only_directory_and_kept_when_unchanged()
    {
        using var directory = new TemporaryDirectory();
        var keys = directory.File("serving-keys");

        var mount = await ServingKeyMount.WriteAsync(keys, "local", Key, CancellationToken.None);
        var written = new FileInfo(mount.HostFile).LastWriteTimeUtc;
        await Task.Delay(20);
        var again = await ServingKeyMount.WriteAsync(keys, "local", Key, CancellationToken.None);
        var afterAgain = new FileInfo(again.HostFile).LastWriteTimeUtc;
        var rotated = await ServingKeyMount.WriteAsync(keys, "local", new ServingApiKey("pipeline-test", $"rotated-{Guid.NewGuid():N}"), CancellationToken.None);

        Assert.Equal(Path.Combine(keys, "local.api-keys"), mount.HostFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(mount.HostFile));
        Assert.Equal(written, afterAgain); // unchanged: running containers keep reading the same file
        Assert.Contains($"pipeline-test:{rotated.Key.Secret}\n", File.ReadAllText(rotated.HostFile));
        Assert.Equal(new Dictionary<string, string> { ["SERVING_API_KEYS_FILE"] = "/run/secrets/serving-api-keys" }, mount.Environment);
        Assert.Equal(new Dictionary<string, string> { [mount.HostFile] = "/run/secrets/serving-api-keys" }, mount.BindMounts);
        Assert.DoesNotContain(Key.Secret, mount.ToString());
    }
}
