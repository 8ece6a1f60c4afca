using System.Globalization;

namespace Pipeline.Docker;

/// <summary>What GET /containers/{id}/json says about one container.</summary>
public sealed record ContainerDetails(
    string Id,
    string Name,
    string ImageId,
    string ImageName,
    ContainerState State,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<PublishedPort> Ports,
    string? IpAddress,
    bool Tty)
{
    /// <summary>The host port <paramref name="containerPort"/> is published on; throws when it is not published.</summary>
    public int HostPort(int containerPort, string protocol = "tcp") =>
        Ports.FirstOrDefault(port => port.ContainerPort == containerPort && port.Protocol == protocol)?.HostPort
        ?? throw new InvalidOperationException(
            $"Container {Name} publishes no host port for {containerPort}/{protocol} (published: " +
            $"{(Ports.Count == 0 ? "none" : string.Join(", ", Ports.Select(port => $"{port.ContainerPort}/{port.Protocol}")))}; " +
            $"state {State.Status}: ports are assigned only while it runs)");

    internal static ContainerDetails Read(JsonElement container, string operation)
    {
        var config = container.Object("Config");
        var network = container.Object("NetworkSettings");
        return new ContainerDetails(
            container.RequiredString("Id", operation),
            (container.String("Name") ?? string.Empty).TrimStart('/'),
            container.String("Image") ?? string.Empty,
            config?.String("Image") ?? string.Empty,
            container.Object("State") is { } state ? ContainerState.Read(state) : throw new DockerException($"Cannot {operation}: the answer has no State"),
            config?.StringMap("Labels") ?? new Dictionary<string, string>(),
            network is { } settings ? Published(settings) : [],
            network is { } addresses ? IpAddressOf(addresses) : null,
            config?.Boolean("Tty") ?? false);
    }

    // "Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "32768"}], "9090/tcp": null (exposed, not published)}
    private static PublishedPort[] Published(JsonElement settings) =>
        settings.Object("Ports") is not { } ports
            ? []
            : ports.EnumerateObject()
                .Where(port => port.Value.ValueKind == JsonValueKind.Array)
                .SelectMany(port => port.Value.EnumerateArray().Select(binding => (Key: port.Name, Binding: binding)))
                .Select(item =>
                {
                    var (number, protocol) = SplitPortKey(item.Key);
                    var hostPort = int.TryParse(item.Binding.String("HostPort"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                    return new PublishedPort(number, protocol, item.Binding.String("HostIp") ?? string.Empty, hostPort);
                })
                .ToArray();

    private static (int Port, string Protocol) SplitPortKey(string key)
    {
        var slash = key.IndexOf('/');
        var number = slash < 0 ? key : key[..slash];
        return (int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture), slash < 0 ? "tcp" : key[(slash + 1)..]);
    }

    // The default bridge fills the top-level IPAddress; user-defined networks only fill Networks.
    private static string? IpAddressOf(JsonElement settings) =>
        settings.String("IPAddress") is { Length: > 0 } address
            ? address
            : settings.Object("Networks")?.EnumerateObject()
                .Select(network => network.Value.String("IPAddress"))
                .FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
}
