using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Prerequisites.Tests;

/// <summary>
/// A minimal HTTP/1.1 server on a Unix socket (one response per connection), standing in for the
/// Docker engine's API socket so tests do not depend on dockerd.
/// </summary>
public sealed class TinyUnixHttpServer : IAsyncDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<string, (int Status, string Body)> respond;
    private readonly Task acceptLoop;

    public TinyUnixHttpServer(string socketPath, Func<string, (int Status, string Body)> respond)
    {
        SocketPath = socketPath;
        this.respond = respond;
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(16);
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    public ConcurrentQueue<string> RequestedPaths { get; } = new();

    /// <summary>Answers like a Docker engine of the given version.</summary>
    public static TinyUnixHttpServer Docker(string socketPath, string version = "24.0.7", string apiVersion = "1.43") =>
        new(socketPath, path => path switch
        {
            "/_ping" => (200, "OK"),
            "/version" => (200, $$"""{"Version":"{{version}}","ApiVersion":"{{apiVersion}}","Os":"linux"}"""),
            _ => (404, """{"message":"page not found"}"""),
        });

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        await acceptLoop;
        File.Delete(SocketPath);
        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var path = request.ToString().Split(' ')[1];
        RequestedPaths.Enqueue(path);
        var (status, body) = respond(path);
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: text/plain\r\n" +
                   $"Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
    }
}
