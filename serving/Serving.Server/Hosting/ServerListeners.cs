using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Serving.Server.Hosting;

/// <summary>
/// The server's two Kestrel endpoints, REST (HTTP/1.1) and gRPC (HTTP/2). Kestrel writes the bound port into each
/// once it listens, so port 0 resolves to the real port here; requests are told apart by the local port they came in on.
/// </summary>
internal sealed class ServerListeners
{
    public ListenOptions? Rest { get; set; }

    public ListenOptions? Grpc { get; set; }

    /// <summary>The bound gRPC port; 0 until Kestrel listens.</summary>
    public int GrpcPort => Grpc?.IPEndPoint?.Port ?? 0;

    public int RestPort => Rest?.IPEndPoint?.Port ?? 0;
}
