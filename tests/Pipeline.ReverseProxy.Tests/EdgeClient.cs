using System.Net.Sockets;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>An HttpClient to the edge that counts the TCP connections it opens, so a test can tell that one keep-alive connection carried everything.</summary>
public sealed class EdgeClient : IDisposable
{
    private int _connections;

    public EdgeClient(int port, int maxConnections = 1)
    {
        Http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref _connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    /// <summary>TCP connections opened to the edge so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public void Dispose() => Http.Dispose();
}
