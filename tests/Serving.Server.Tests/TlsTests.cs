using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Serving.Server.Configuration;
using Serving.Server.Hosting;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class TlsTests(ServingFixture fixture) : IDisposable
{
    private readonly X509Certificate2 _certificate = TestCertificates.CreateSelfSigned();

    public void Dispose() => _certificate.Dispose();

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task The_REST_port_speaks_HTTPS_over_HTTP1_and_HTTP2_with_the_given_certificate(string version)
    {
        await using var server = await StartAsync(TlsOptions(_certificate));
        using var client = TrustingClient(server);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/health/ready") { Version = Version.Parse(version), VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request);

        Assert.Equal(Uri.UriSchemeHttps, server.Server.Addresses[0].Scheme);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.True((await ReadJsonAsync(response)).GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Curl_trusting_the_certificate_file_gets_an_answer_and_plain_HTTP_gets_none()
    {
        var options = TlsOptions(_certificate);
        await using var server = await StartAsync(options);
        var port = server.Server.Addresses[0].Port;

        var (secureExit, secureOutput) = await CurlAsync("--cacert", options.TlsCertificatePath!, $"https://127.0.0.1:{port}/v2/health/ready");
        Assert.True(secureExit == 0, $"curl exited with {secureExit}: {secureOutput}");
        Assert.Equal("""{"ready":true}""", secureOutput);

        var (plainExit, plainOutput) = await CurlAsync($"http://127.0.0.1:{port}/v2/health/ready");
        Assert.True(plainExit != 0, $"plain HTTP to the TLS port was answered: {plainOutput}");
        using var plainClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => plainClient.GetAsync($"http://127.0.0.1:{port}/v2/health/ready"));
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_refuses_the_connection()
    {
        await using var server = await StartAsync(TlsOptions(_certificate));
        using var other = TestCertificates.CreateSelfSigned();
        using var client = new HttpClient(TestCertificates.TrustingOnly(other)) { BaseAddress = new Uri($"https://127.0.0.1:{server.Server.Addresses[0].Port}") };

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/v2/health/ready"));

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task A_gRPC_call_without_a_key_gets_UNAUTHENTICATED_and_open_methods_pass()
    {
        var keys = fixture.TempFile($"keys-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(keys, ApiKeyFiles.Line("grpc-client", ApiKeyFiles.FirstSecret));
        await using var server = await StartAsync(TlsOptions(_certificate) with { ApiKeysFile = keys });
        using var client = TrustingClient(server);

        foreach (var method in (string[])["ModelInfer", "ModelMetadata", "ServerMetadata"])
        {
            using var response = await GrpcCallAsync(client, "/inference.GRPCInferenceService/" + method);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("16", Assert.Single(response.Headers.GetValues("grpc-status")));
            var message = Uri.UnescapeDataString(Assert.Single(response.Headers.GetValues("grpc-message")));
            Assert.Equal("A valid API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.", message);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        // Open methods and authenticated calls get past authentication (what answers them is the gRPC service's business).
        foreach (var (path, key) in (ValueTuple<string, string?>[])[("/inference.GRPCInferenceService/ServerLive", null), ("/inference.GRPCInferenceService/ModelReady", null),
                     ("/grpc.health.v1.Health/Check", null), ("/inference.GRPCInferenceService/ModelInfer", ApiKeyFiles.FirstSecret)])
        {
            using var response = await GrpcCallAsync(client, path, key);
            Assert.False(response.Headers.TryGetValues("grpc-status", out var status) && status.Contains("16"), $"{path} was refused");
        }

        var metrics = await GetMetricsTextAsync(client);
        Assert.Contains("mlops_unauthenticated_requests_total{model=\"fashion-mnist\",version=\"7\"} 3", metrics);
        Assert.Contains("mlops_inference_requests_total{model=\"fashion-mnist\",version=\"7\",code=\"401\"} 1", metrics);
    }

    [Fact]
    public async Task A_separate_metrics_port_stays_plain_HTTP()
    {
        await using var server = await StartAsync(TlsOptions(_certificate) with { MetricsPort = 0 });

        using var plain = new HttpClient { BaseAddress = server.Server.MetricsAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await plain.GetAsync("/metrics");

        Assert.Equal(Uri.UriSchemeHttp, server.Server.MetricsAddress!.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("mlops_inference_requests_total", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_key_that_does_not_belong_to_the_certificate_refuses_to_start()
    {
        using var other = TestCertificates.CreateSelfSigned();
        var options = TlsOptions(_certificate);
        var (_, otherKey) = TestCertificates.WritePem(other, fixture.TempFile($"other-{Guid.NewGuid():N}.crt"), fixture.TempFile($"other-{Guid.NewGuid():N}.key"));

        var error = Assert.Throws<ServerStartupException>(() => ServingServer.Create(options with { TlsKeyPath = otherKey }, fixture.Environment));

        Assert.StartsWith($"The TLS private key in '{otherKey}' does not belong to the certificate in '{options.TlsCertificatePath}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_or_non_PEM_files_refuse_to_start()
    {
        var options = TlsOptions(_certificate);

        var missing = Assert.Throws<ServerStartupException>(() => ServingServer.Create(options with { TlsCertificatePath = options.TlsCertificatePath + ".absent" }, fixture.Environment));
        Assert.StartsWith($"Cannot read the TLS certificate file '{options.TlsCertificatePath}.absent'", missing.Message, StringComparison.Ordinal);

        // The key file given as the certificate and the certificate as the key: a classic mix-up.
        var swapped = Assert.Throws<ServerStartupException>(() => ServingServer.Create(options with { TlsCertificatePath = options.TlsKeyPath, TlsKeyPath = options.TlsCertificatePath }, fixture.Environment));
        Assert.StartsWith($"The TLS certificate file '{options.TlsKeyPath}' holds no PEM certificate", swapped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_one_of_certificate_and_key_refuses_to_start()
    {
        var options = TlsOptions(_certificate);

        var error = Assert.Throws<ServerConfigurationException>(() => ServingServer.Create(options with { TlsKeyPath = null }, fixture.Environment));

        Assert.Contains("TLS needs the private key too: --tls-key / SERVING_TLS_KEY is missing", Assert.Single(error.Errors));
    }

    private ServerOptions TlsOptions(X509Certificate2 certificate)
    {
        var name = Guid.NewGuid().ToString("N");
        var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, fixture.TempFile($"{name}.crt"), fixture.TempFile($"{name}.key"));
        return TestServer.DefaultOptions(fixture) with { TlsCertificatePath = certificatePath, TlsKeyPath = keyPath };
    }

    private Task<TestServer> StartAsync(ServerOptions options) => TestServer.StartAsync(fixture, options);

    private HttpClient TrustingClient(TestServer server) =>
        new(TestCertificates.TrustingOnly(_certificate)) { BaseAddress = server.Server.Addresses[0], Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>A gRPC unary call as it looks on the wire: HTTP/2 POST, application/grpc, one empty length-prefixed message.</summary>
    private static Task<HttpResponseMessage> GrpcCallAsync(HttpClient client, string path, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (key is not null) request.Headers.TryAddWithoutValidation("authorization", "Bearer " + key);
        return client.SendAsync(request);
    }

    private static async Task<string> GetMetricsTextAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<(int ExitCode, string Output)> CurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--silent", "--show-error", "--max-time", "10", .. arguments]) start.ArgumentList.Add(argument);
        using var curl = Process.Start(start)!;
        var output = curl.StandardOutput.ReadToEndAsync();
        var error = curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync();
        return (curl.ExitCode, (await output) + (await error));
    }
}
