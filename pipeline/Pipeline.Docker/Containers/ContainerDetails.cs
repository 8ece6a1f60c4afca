using System.Globalization;

namespace Pipeline.Docker;

/// <summary>What the engine says about one container (inspect), in the fields the pipeline reads.</summary>
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

    internal static ContainerDetails Read(ContainerInspectResponse container)
    {
        var config = container.Config;
        var network = container.NetworkSettings;
        return new ContainerDetails(
            container.ID,
            (container.Name ?? string.Empty).TrimStart('/'),
            container.Image ?? string.Empty,
            config?.Image ?? string.Empty,
            ContainerState.Read(container.State),
            new Dictionary<string, string>(config?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            network is { } settings ? Published(settings) : [],
            network is { } addresses ? IpAddressOf(addresses) : null,
            config?.Tty ?? false);
    }

    // "Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "32768"}], "9090/tcp": null (exposed, not published)}
    private static PublishedPort[] Published(NetworkSettings settings) =>
        settings.Ports is not { } ports
            ? []
            : ports
                .Where(port => port.Value is not null)
                .SelectMany(port => port.Value.Select(binding => (port.Key, Binding: binding)))
                .Select(item =>
                {
                    var (number, protocol) = SplitPortKey(item.Key);
                    var hostPort = int.TryParse(item.Binding.HostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                    return new PublishedPort(number, protocol, item.Binding.HostIP ?? string.Empty, hostPort);
                })
                .ToArray();

    private static (int Port, string Protocol) SplitPortKey(string key)
    {
        var slash = key.IndexOf('/');
        var number = slash < 0 ? key : key[..slash];
        return (int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture), slash < 0 ? "tcp" : key[(slash + 1)..]);
    }

    // Newer API versions keep addresses only per network; the "none" network has an empty one.
    private static string? IpAddressOf(NetworkSettings settings) =>
        settings.Networks?.Values.Select(network => network.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
}
