using System.Text.RegularExpressions;

namespace Pipeline.ReverseProxy;

/// <summary>What the edge routes: one loopback port; per model, /v2/models/{model}… to that model's servers. Other paths go to Routes[0].</summary>
public sealed partial record EdgeDescription(int ListenPort, IReadOnlyList<EdgeRoute> Routes)
{
    /// <summary>The two server slots every model's backend has; a slot not in a route waits in maintenance.</summary>
    public static readonly IReadOnlyList<string> Slots = ["blue", "green"];

    /// <summary>Largest request body passed on (Content-Length or chunked); keep it equal to the serving server's own limit.</summary>
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How long to wait for a server's answer (and for a slow client) before the edge answers 504 (408 for the client).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A PEM holding the edge's certificate and its private key (what haproxy's <c>ssl crt</c> reads): when set, every
    /// frontend speaks TLS only (the gRPC ones with ALPN h2). Null: plain HTTP on loopback.
    /// </summary>
    public string? TlsCertificateFile { get; init; }

    public Uri Endpoint => new($"{(TlsCertificateFile is null ? "http" : "https")}://127.0.0.1:{ListenPort}");

    /// <summary>The route of <paramref name="model"/>, or null when the edge does not route it.</summary>
    public EdgeRoute? Route(string model) => Routes.FirstOrDefault(r => r.Model == model);

    /// <summary>This description with <paramref name="route"/> replacing the route of its model, or appended when there is none.</summary>
    public EdgeDescription WithRoute(EdgeRoute route) => this with
    {
        Routes = Route(route.Model) is null ? [.. Routes, route] : Routes.Select(r => r.Model == route.Model ? route : r).ToList(),
    };

    /// <summary>Whether going from this description to <paramref name="next"/> needs a reload: the routes (models and their order) or the limits differ.</summary>
    /// <summary>
    /// Whether going from this description to <paramref name="next"/> needs a reload: the routes (models, their order
    /// and gRPC ports), the limits or TLS differ.
    /// </summary>
    public bool HasSameShapeAs(EdgeDescription next) =>
        ListenPort == next.ListenPort && MaxBodyBytes == next.MaxBodyBytes && ReadTimeout == next.ReadTimeout && TlsCertificateFile == next.TlsCertificateFile &&
        Routes.Select(r => (r.Model, r.GrpcListenPort)).SequenceEqual(next.Routes.Select(r => (r.Model, r.GrpcListenPort)));

    /// <summary>Every problem with the description at once, each saying how to fix it; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ListenPort is < 1 or > 65535) problems.Add($"listen port {ListenPort} is not a TCP port; use 1024-65535 (e.g. --local-port 8080).");
        else if (ListenPort < 1024) problems.Add($"listen port {ListenPort} is privileged; use a port of 1024 or more (e.g. 8080).");
        if (MaxBodyBytes is < 1 or > MaxBodyLimit) problems.Add($"max body size {MaxBodyBytes} must be 1 byte to {MaxBodyLimit} bytes (the edge buffers up to it for chunked bodies).");
        if (ReadTimeout < TimeSpan.FromSeconds(1) || ReadTimeout > TimeSpan.FromHours(1)) problems.Add($"read timeout {ReadTimeout} must be between 1 s and 1 h.");
        if (Routes is null || Routes.Count == 0)
        {
            problems.Add("there are no routes; give at least one model route (the first one also takes every other path).");
            return problems;
        }
        foreach (var duplicate in Routes.GroupBy(r => r.Model, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"model '{duplicate.Key}' has {duplicate.Count()} routes; give each model one route (use WithRoute to replace it).");
        foreach (var route in Routes) problems.AddRange(RouteProblems(route));
        problems.AddRange(GrpcPortProblems());
        if (TlsCertificateFile is { } pem && (!Path.IsPathFullyQualified(pem) || pem.Any(c => c is '"' or '\'' or '\\' or '$' or '#' || char.IsControl(c))))
            problems.Add($"TLS certificate file '{pem}' must be an absolute path without quotes, '\\', '$' or '#' (haproxy reads them as syntax).");
        return problems;
    }

    public void ThrowIfInvalid()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new EdgeConfigException($"The edge description is not usable ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n- " +
                string.Join("\n- ", problems), null);
    }

    /// <summary>Each gRPC endpoint needs a port of its own: one per model, none shared with the REST endpoint.</summary>
    private IEnumerable<string> GrpcPortProblems()
    {
        foreach (var route in Routes.Where(r => r.GrpcListenPort is not null))
        {
            var port = route.GrpcListenPort!.Value;
            if (port is < 1024 or > 65535)
                yield return $"model '{route.Model}': gRPC port {port} is not an unprivileged TCP port; use 1024-65535 (e.g. --local-grpc-port 8081).";
            else if (port == ListenPort)
                yield return $"model '{route.Model}': gRPC port {port} is the REST endpoint's port; give gRPC its own with --local-grpc-port (e.g. --local-grpc-port {ListenPort + 1}).";
        }
        foreach (var clash in Routes.Where(r => r.GrpcListenPort is not null).GroupBy(r => r.GrpcListenPort!.Value).Where(g => g.Count() > 1))
            yield return $"models {string.Join(" and ", clash.Select(r => $"'{r.Model}'"))} share the gRPC port {clash.Key}; a gRPC request names its model " +
                $"inside the protobuf body, so one gRPC port serves one model: deploy each other model with its own --local-grpc-port " +
                $"(e.g. --local-grpc-port {Routes.Where(r => r.GrpcListenPort is not null).Max(r => r.GrpcListenPort!.Value) + 1}).";
    }

    private IEnumerable<string> RouteProblems(EdgeRoute route)
    {
        if (route.Model is null || !ModelName().IsMatch(route.Model))
            yield return $"model name '{route.Model}' must be 1-100 characters of A-Z a-z 0-9 _ . - (it names the backend model_<model> and the path /v2/models/<model>).";
        var servers = route.Servers ?? [];
        if (servers.Count > 2) yield return $"model '{route.Model}' has {servers.Count} servers; a route has at most two (the blue and the green slot).";
        foreach (var slot in servers.GroupBy(s => s.Slot, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"model '{route.Model}' uses slot '{slot.Key}' {slot.Count()} times; give each server its own slot (blue, green).";
        if (!servers.Any(s => s.Weight > 0))
            yield return $"model '{route.Model}' has no server with weight > 0, so nothing would answer it; give the serving slot a weight of 1-256.";
        foreach (var server in servers)
        {
            var at = $"model '{route.Model}' server '{server.Slot}'";
            if (!Slots.Contains(server.Slot)) yield return $"{at}: the slot must be one of {string.Join(", ", Slots)}.";
            if (server.Port is < 1 or > 65535) yield return $"{at}: port {server.Port} is not a TCP port; use the container's port (1-65535).";
            else if (server.Port == ListenPort && server.Host == EdgeServer.Loopback) yield return $"{at}: port {server.Port} is the edge's own listen port; point it at the container.";
            if (!IsLocalAddress(server.Host))
                yield return $"{at}: host '{server.Host}' is not a loopback or private IPv4 address; use 127.0.0.1 with a published port, or the container's address on its Docker network.";
            if (server.Weight is < 0 or > 256) yield return $"{at}: weight {server.Weight} is outside 0-256 (0 drains the server).";
            if (string.IsNullOrWhiteSpace(server.Backend) || server.Backend.Any(char.IsControl))
                yield return $"{at}: backend '{server.Backend}' must name what listens there (a container name).";
            if (string.IsNullOrWhiteSpace(server.Version) || server.Version.Any(char.IsControl))
                yield return $"{at}: version '{server.Version}' must name the model version the server serves.";
            if (route.GrpcListenPort is not null && server.GrpcPort is null)
                yield return $"{at}: the route has a gRPC endpoint but the server has no gRPC port; give it the container's gRPC port (8081) or drop the route's gRPC port.";
            if (server.GrpcPort is < 1 or > 65535) yield return $"{at}: gRPC port {server.GrpcPort} is not a TCP port; use the container's gRPC port (8081).";
        }
    }

    /// <summary>Loopback or RFC 1918: where a published port or a container on a local Docker network listens, never a public address.</summary>
    private static bool IsLocalAddress(string? host)
    {
        if (!System.Net.IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        var b = address.GetAddressBytes();
        return b[0] == 127 || b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168);
    }

    /// <summary>Routes compared by content, not by list reference: two descriptions that render the same are equal.</summary>
    public bool Equals(EdgeDescription? other) =>
        other is not null && ListenPort == other.ListenPort && MaxBodyBytes == other.MaxBodyBytes && ReadTimeout == other.ReadTimeout &&
        TlsCertificateFile == other.TlsCertificateFile && Routes.SequenceEqual(other.Routes);

    public override int GetHashCode() => HashCode.Combine(ListenPort, MaxBodyBytes, ReadTimeout, Routes.Count);

    private const long MaxBodyLimit = 256L * 1024 * 1024;

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex ModelName();
}
