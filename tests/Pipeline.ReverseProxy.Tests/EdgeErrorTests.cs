using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>The answers haproxy itself gives are Open Inference Protocol JSON errors with the right status, tried with real requests.</summary>
public sealed class EdgeErrorTests : IAsyncLifetime
{
    private readonly EdgeHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    private async Task<HttpClient> StartAsync(EdgeDescription? description = null)
    {
        await _h.Edge.ApplyAsync(description ?? _h.Description(EdgeHarness.Route("m", (_h.Blue, 256))), CancellationToken.None);
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_h.Port}") };
    }

    private static async Task AssertJsonErrorAsync(HttpResponseMessage response, HttpStatusCode status, string words)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(words, json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_body_declared_over_the_limit_gets_413_and_never_reaches_the_server_while_chunked_bodies_stream_to_its_own_limit()
    {
        using var http = await StartAsync();

        var within = await http.PostAsync("/echo", new ByteArrayContent(new byte[1024]));
        var over = await http.PostAsync("/echo", new ByteArrayContent(new byte[1025]));
        var chunkedWithin = await http.SendAsync(Chunked(1024));
        var chunkedOver = await http.SendAsync(Chunked(1025));

        Assert.Equal("blue 1024", await within.Content.ReadAsStringAsync());
        Assert.Equal("blue 1024", await chunkedWithin.Content.ReadAsStringAsync());
        await AssertJsonErrorAsync(over, HttpStatusCode.RequestEntityTooLarge, "larger than the edge accepts (1024 bytes)");
        // A chunked body's size is known only once it has passed: the edge streams it (default buffers, see
        // HaproxyConfigRenderer) and the server's own limit, equal to the edge's in a deployment, refuses it there.
        Assert.Equal("blue 1025", await chunkedOver.Content.ReadAsStringAsync());
        Assert.Equal(3, _h.Blue.Requests);
    }

    /// <summary>A POST of <paramref name="bytes"/> sent with Transfer-Encoding: chunked and no Content-Length.</summary>
    private static HttpRequestMessage Chunked(int bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new ByteArrayContent(new byte[bytes]) };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    [Fact]
    public async Task A_server_that_breaks_the_connection_gives_502()
    {
        using var http = await StartAsync();

        await AssertJsonErrorAsync(await http.GetAsync("/abort"), HttpStatusCode.BadGateway, "closed the connection");
    }

    [Fact]
    public async Task A_server_nothing_listens_on_gives_503_and_counts_as_the_backend_s_5xx()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var http = await StartAsync(_h.Description(new EdgeRoute("m", [new EdgeServer("blue", closedPort, 256, "gone", "v0")])));

        await AssertJsonErrorAsync(await http.GetAsync("/v2/models/m"), HttpStatusCode.ServiceUnavailable, "no model server is available");
        var backend = Assert.Single(await _h.Edge.BackendStatsAsync(CancellationToken.None));
        Assert.Equal((1, 1), (backend.Responses5xx, backend.TotalSessions));
    }

    [Fact]
    public async Task A_server_slower_than_the_read_timeout_gives_504()
    {
        using var http = await StartAsync(_h.Description(EdgeHarness.Route("m", (_h.Blue, 256))) with { ReadTimeout = TimeSpan.FromSeconds(1) });

        await AssertJsonErrorAsync(await http.PostAsync("/slow?ms=3000", null), HttpStatusCode.GatewayTimeout, "did not answer within 1 s");
    }

    /// <summary>Sends <paramref name="request"/> on a new raw connection and reads until the edge closes it (or 10 s pass).</summary>
    private async Task<string> RawAsync(byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _h.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        return System.Text.Encoding.ASCII.GetString(answer.ToArray());
    }

    [Fact]
    public async Task A_hundred_megabyte_body_declared_by_content_length_gets_a_json_413_before_any_of_it_is_sent()
    {
        await StartAsync();

        var answer = await RawAsync("POST /v2/models/m/infer HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"u8.ToArray());

        Assert.StartsWith("HTTP/1.1 413 Payload Too Large\r\n", answer);
        Assert.Contains("content-type: application/json\r\n", answer, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\n{\"error\":\"the request body is larger than the edge accepts (1024 bytes)\"}", answer);
        Assert.Equal(0, _h.Blue.Requests);
    }

    [Fact]
    public async Task Garbage_on_a_raw_socket_gets_400_and_a_closed_connection_and_never_reaches_a_server()
    {
        await StartAsync();

        var answer = await RawAsync([0x16, 0x03, 0x01, 0x00, .. "\x01garbage \u00ff\r\n\r\n"u8.ToArray()]);

        // haproxy 2.6's HTTP/1 layer answers a request it cannot parse with its built-in page before any errorfile
        // applies (see EdgeErrorPages.Pages): the status is right, the body is haproxy's HTML, not JSON.
        Assert.StartsWith("HTTP/1.1 400 ", answer);
        Assert.Contains("connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, _h.Blue.Requests);
    }

    [Fact]
    public async Task Every_error_page_is_json_with_its_own_status_and_every_grpc_page_a_trailers_only_status()
    {
        await StartAsync();

        foreach (var (status, _) in EdgeErrorPages.Pages)
        {
            var rest = await File.ReadAllTextAsync(_h.Layout.ErrorFile(status));
            var (head, body) = (rest[..rest.IndexOf("\r\n\r\n", StringComparison.Ordinal)], rest[(rest.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
            Assert.StartsWith($"HTTP/1.1 {status} ", head);
            Assert.Contains("Content-Type: application/json", head);
            Assert.Contains($"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}", head);
            Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()));

            var grpc = await File.ReadAllTextAsync(_h.Layout.GrpcErrorFile(status));
            Assert.StartsWith("HTTP/1.1 200 OK\r\nContent-Type: application/grpc\r\n", grpc);
            Assert.Contains($"grpc-status: {EdgeErrorPages.GrpcStatus[status]}\r\n", grpc);
            Assert.EndsWith("Content-Length: 0\r\nCache-Control: no-cache\r\n\r\n", grpc);
        }
        Assert.Equal([400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504], EdgeErrorPages.Pages.Keys.Order());
        Assert.Equal(14, EdgeErrorPages.GrpcStatus[503]);
        Assert.Equal(8, EdgeErrorPages.GrpcStatus[413]);
    }
}
