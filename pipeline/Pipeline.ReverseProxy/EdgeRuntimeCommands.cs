using System.Globalization;

namespace Pipeline.ReverseProxy;

/// <summary>
/// The runtime API commands that take a running edge from one description to another of the same shape (same
/// routes and limits). Servers gaining traffic come first and those losing it last, so a model never has no server.
/// A model's gRPC backend gets the same changes as its REST backend, in the same batch, so both serve the same version.
/// </summary>
internal static class EdgeRuntimeCommands
{
    public static IReadOnlyList<string> Between(EdgeDescription active, EdgeDescription desired)
    {
        var ready = new List<string>();
        var draining = new List<string>();
        var retired = new List<string>();
        void Change(string server, (string Host, int Port)? was, (string Host, int Port, int Weight)? now)
        {
            if (now is not { } target)
            {
                retired.Add($"set server {server} state maint");
                retired.Add(Address(server, EdgeServer.Loopback, HaproxyConfigRenderer.PlaceholderPort));
                return;
            }
            var commands = target.Weight > 0 ? ready : draining;
            if (was?.Port != target.Port || was?.Host != target.Host) commands.Add(Address(server, target.Host, target.Port));
            commands.Add(string.Create(CultureInfo.InvariantCulture, $"set weight {server} {target.Weight}"));
            commands.Add($"set server {server} state {(target.Weight > 0 ? "ready" : "drain")}");
        }

        foreach (var route in desired.Routes)
        {
            var before = active.Route(route.Model);
            foreach (var slot in EdgeDescription.Slots)
            {
                var was = before?.Server(slot);
                var now = route.Server(slot);
                if (was == now) continue;
                Change($"{route.BackendName}/{slot}", was is null ? null : (was.Host, was.Port), now is null ? null : (now.Host, now.Port, now.Weight));
                if (route.GrpcListenPort is not null)
                    Change($"{route.GrpcBackendName}/{slot}", was?.GrpcPort is { } wasGrpc ? (was.Host, wasGrpc) : null,
                        now is null ? null : (now.Host, now.GrpcPort ?? HaproxyConfigRenderer.PlaceholderPort, now.Weight));
            }
        }
        return [.. ready, .. draining, .. retired];
    }

    /// <summary>Whether a line haproxy answered to a change command reports a failure (success is silent, or an address change note).</summary>
    public static bool IsFailure(string line) =>
        line.Length > 0 && !line.StartsWith("IP changed from", StringComparison.Ordinal) && !line.StartsWith("no need to change the addr", StringComparison.OrdinalIgnoreCase) &&
        !line.Contains("port changed from", StringComparison.Ordinal);

    private static string Address(string server, string host, int port) => string.Create(CultureInfo.InvariantCulture, $"set server {server} addr {host} port {port}");
}
