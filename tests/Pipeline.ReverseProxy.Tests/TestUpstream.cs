using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>A real HTTP server on a loopback port that answers with its name; /slow holds the answer back, /abort breaks the connection.</summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }
    public int Port { get; }
    public int Requests;
    public System.Collections.Concurrent.ConcurrentDictionary<string, byte> Connections { get; } = new();

    public static async Task<TestUpstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
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
        await app.StartAsync();
        var port = new Uri(app.Urls.Single()).Port;
        self = new TestUpstream(app, name, port);
        return self;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
