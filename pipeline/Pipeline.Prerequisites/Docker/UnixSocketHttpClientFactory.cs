using System.Net.Sockets;

namespace Pipeline.Prerequisites;

/// <summary>
/// HTTP over a Unix domain socket (Docker's /var/run/docker.sock, containerd, a local kubelet proxy...).
/// The URL's host is ignored for connecting; requests go to the socket.
/// </summary>
public static class UnixSocketHttpClientFactory
{
    /// <summary>Base address to use with a client from <see cref="Create"/>; the host name is only sent in the Host header.</summary>
    public static Uri BaseAddress { get; } = new("http://localhost/");

    public static SocketsHttpHandler CreateHandler(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var endPoint = new UnixDomainSocketEndPoint(socketPath);
        return new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    public static HttpClient Create(string socketPath, TimeSpan timeout) =>
        new(CreateHandler(socketPath), disposeHandler: true) { BaseAddress = BaseAddress, Timeout = timeout };
}
