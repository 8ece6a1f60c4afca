namespace Pipeline.ReverseProxy;

/// <summary>One model's backend: at most two server slots ("blue", "green"); traffic split by weight.</summary>
public sealed record EdgeRoute(string Model, IReadOnlyList<EdgeServer> Servers)
{
    /// <summary>The server in <paramref name="slot"/>, or null when the slot is not in use.</summary>
    public EdgeServer? Server(string slot) => Servers.FirstOrDefault(s => s.Slot == slot);

    /// <summary>HAProxy's name for the model's backend.</summary>
    public string BackendName => $"model_{Model}";

    /// <summary>
    /// The loopback port of this model's gRPC endpoint, or null for REST only. gRPC carries the model name inside the
    /// protobuf body, so the edge cannot route by it: one gRPC port serves one model.
    /// </summary>
    public int? GrpcListenPort { get; init; }

    /// <summary>HAProxy's name for the model's gRPC frontend and backend (h2 to the servers' <see cref="EdgeServer.GrpcPort"/>).</summary>
    public string GrpcBackendName => $"grpc_{Model}";

    /// <summary>Servers compared by content and slot, not by list reference or order: [blue, green] routes as [green, blue] does.</summary>
    public bool Equals(EdgeRoute? other) => other is not null && Model == other.Model && GrpcListenPort == other.GrpcListenPort &&
        Servers.OrderBy(s => s.Slot, StringComparer.Ordinal).SequenceEqual(other.Servers.OrderBy(s => s.Slot, StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Model, Servers.Count);
}

/// <summary>
/// A container behind the edge. Weight 0–256; 0 = drain (no new requests, those in flight finish). <see cref="Host"/> is
/// where it listens: a published port on loopback, or better the container's own address on its Docker network, which
/// spares every request the trip through docker-proxy (a userland copy of each byte that cost as much CPU as the edge).
/// </summary>
public sealed record EdgeServer(string Slot, int Port, int Weight, string Backend, string Version)
{
    public const string Loopback = "127.0.0.1";

    public string Host { get; init; } = Loopback;

    /// <summary>Where the same server answers gRPC (h2c) on <see cref="Host"/>; null when it serves REST only. Its weight is <see cref="Weight"/>.</summary>
    public int? GrpcPort { get; init; }
}
