using System.Net;
using System.Text.Json;

namespace Pipeline.ReverseProxy;

/// <summary>
/// What the proxy should do: listen on 127.0.0.1:<see cref="ListenPort"/> and pass every request to
/// <see cref="UpstreamHost"/>:<see cref="UpstreamPort"/>. <see cref="Backend"/> names what listens there (a container)
/// and is kept in the rendered file, so the running state can be read back from the config alone.
/// </summary>
public sealed record ProxyDescription(int ListenPort, string UpstreamHost, int UpstreamPort, string Backend)
{
    /// <summary>Largest request body passed on; keep it equal to the upstream server's own limit.</summary>
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Idle keep-alive connections each worker keeps open to the upstream.</summary>
    public int KeepaliveConnections { get; init; } = 32;

    /// <summary>
    /// How long a client connection may stay open between requests; zero (the default) closes it after each answer.
    /// A graceful reload closes the old workers' idle keep-alive connections at once, and a request a client sends on
    /// one at that moment is lost (a reset, or an empty answer) — which a client may not retry for a POST. A connection
    /// made for one request is never idle, so the old worker answers it before it exits: no request fails in a switch.
    /// </summary>
    public TimeSpan ClientKeepaliveTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>How long to wait for the upstream's answer before answering 504.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public Uri Endpoint => new($"http://127.0.0.1:{ListenPort}");

    /// <summary>Every problem with the description, each saying how to fix it; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ListenPort is < 1 or > 65535) problems.Add($"listen port {ListenPort} is not a TCP port; use 1-65535 (e.g. --local-port 8080).");
        else if (ListenPort < 1024) problems.Add($"listen port {ListenPort} is privileged; use a port of 1024 or more (e.g. 8080).");
        if (UpstreamPort is < 1 or > 65535) problems.Add($"upstream port {UpstreamPort} is not a TCP port; use 1-65535.");
        if (!IPAddress.TryParse(UpstreamHost, out var address) || !IPAddress.IsLoopback(address))
            problems.Add($"upstream host '{UpstreamHost}' is not a loopback IP address; containers are published on 127.0.0.1.");
        if (string.IsNullOrWhiteSpace(Backend) || Backend.Any(c => char.IsControl(c) || c is '{' or '}' or ';' or '"' or '\''))
            problems.Add($"backend name '{Backend}' is empty or holds characters nginx would read as syntax; use a container name.");
        if (MaxBodyBytes < 1) problems.Add($"max body size {MaxBodyBytes} must be at least 1 byte.");
        if (KeepaliveConnections < 1) problems.Add($"keepalive connections {KeepaliveConnections} must be at least 1.");
        if (ClientKeepaliveTimeout < TimeSpan.Zero) problems.Add($"client keep-alive timeout {ClientKeepaliveTimeout} cannot be negative.");
        if (ReadTimeout < TimeSpan.FromSeconds(1)) problems.Add($"read timeout {ReadTimeout} must be at least 1 s.");
        return problems;
    }

    public void ThrowIfInvalid()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new ProxyConfigException("The proxy description is not usable: " + string.Join(" ", problems), null);
    }

    internal string ToJson() => JsonSerializer.Serialize(this, ProxyJson.Options);

    internal static ProxyDescription? FromJson(string json) => JsonSerializer.Deserialize<ProxyDescription>(json, ProxyJson.Options);
}

internal static class ProxyJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
