using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.LoadTesting.Tests;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (raw TcpListener, keep-alive, "200 ok" to every request). Before answering
/// it awaits <see cref="BeforeResponse"/>, which tests use to inject stalls or hangs.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _received;

    public LoopbackHttpServer()
    {
        _listener.Start(backlog: 512);
        _acceptLoop = AcceptLoopAsync();
    }

    public Func<CancellationToken, Task> BeforeResponse { get; set; } = _ => Task.CompletedTask;

    /// <summary>Requests read so far (counted before <see cref="BeforeResponse"/> runs), so a test can wait until they arrived.</summary>
    public int Received => Volatile.Read(ref _received);

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var pending = new StringBuilder();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    // Requests are bodiless GETs: each ends with an empty line.
                    int end;
                    while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        pending.Remove(0, end + 4);
                        Interlocked.Increment(ref _received);
                        await BeforeResponse(_stop.Token);
                        await stream.WriteAsync(Response, _stop.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}
