using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>
/// A real HTTP server on a loopback port that answers with its name; /slow holds the answer back, /abort breaks the
/// connection. <see cref="GrpcPort"/> speaks HTTP/2 only (h2c, as the serving server's gRPC port): a gRPC-shaped
/// answer (framed message, grpc-status in the trailers) with its name, or after a delay for /test.Echo/Slow.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, string name, int port, int grpcPort)
    {
        _app = app;
        Name = name;
        Port = port;
        GrpcPort = grpcPort;
    }

    public string Name { get; }
    public int Port { get; }
    public int GrpcPort { get; }
    public int Requests;

    /// <summary>gRPC calls that reached this upstream over HTTP/2.</summary>
    public int GrpcRequests;
    public System.Collections.Concurrent.ConcurrentDictionary<string, byte> Connections { get; } = new();

    public static async Task<TestUpstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var grpcPort = FreePort();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        TestUpstream? self = null;
        app.MapGet("/", (HttpContext context) =>
        {
            Interlocked.Increment(ref self!.Requests);
            self.Connections.TryAdd(context.Connection.Id, 0);
            return name;
        });
        app.MapPost("/slow", async (int ms) => { Interlocked.Increment(ref self!.Requests); await Task.Delay(ms); return name; });
        app.MapGet("/abort", (HttpContext context) => { Interlocked.Increment(ref self!.Requests); context.Abort(); });
        app.MapGet("/v2/models/{model}", (string model) => { Interlocked.Increment(ref self!.Requests); return $"{name} {model}"; });
        app.MapPost("/v2/models/{model}/infer", async (string model, HttpRequest request) =>
        {
            Interlocked.Increment(ref self!.Requests);
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            return $"{name} {model}";
        });
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref self!.Requests);
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            return $"{name} {body.Length}";
        });
        app.MapPost("/test.Echo/Name", (HttpContext context) => GrpcAnswerAsync(context, self!, name, 0));
        app.MapPost("/test.Echo/Slow", (HttpContext context, int ms) => GrpcAnswerAsync(context, self!, name, ms));
        await app.StartAsync();
        var port = app.Urls.Select(u => new Uri(u).Port).Single(p => p != grpcPort);
        self = new TestUpstream(app, name, port, grpcPort);
        return self;
    }

    private static async Task GrpcAnswerAsync(HttpContext context, TestUpstream self, string name, int delayMs)
    {
        if (context.Request.Protocol == "HTTP/2") Interlocked.Increment(ref self.GrpcRequests);
        await Task.Delay(delayMs);
        context.Response.ContentType = "application/grpc";
        var message = System.Text.Encoding.UTF8.GetBytes(name);
        var frame = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), message.Length);
        message.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
