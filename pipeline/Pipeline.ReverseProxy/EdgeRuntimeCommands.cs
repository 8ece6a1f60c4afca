using System.Globalization;

namespace Pipeline.ReverseProxy;

/// <summary>
/// The runtime API commands that take a running edge from one description to another of the same shape (same
/// routes and limits). Servers gaining traffic come first and those losing it last, so a model never has no server.
/// </summary>
internal static class EdgeRuntimeCommands
{
    public static IReadOnlyList<string> Between(EdgeDescription active, EdgeDescription desired)
    {
        var ready = new List<string>();
        var draining = new List<string>();
        var retired = new List<string>();
        foreach (var route in desired.Routes)
        {
            var before = active.Route(route.Model);
            foreach (var slot in EdgeDescription.Slots)
            {
                var server = $"{route.BackendName}/{slot}";
                var was = before?.Server(slot);
                var now = route.Server(slot);
                if (was == now) continue;
                if (now is null)
                {
                    retired.Add($"set server {server} state maint");
                    retired.Add(Address(server, EdgeServer.Loopback, HaproxyConfigRenderer.PlaceholderPort));
                    continue;
                }
                var commands = now.Weight > 0 ? ready : draining;
                if (was?.Port != now.Port || was?.Host != now.Host) commands.Add(Address(server, now.Host, now.Port));
                commands.Add(string.Create(CultureInfo.InvariantCulture, $"set weight {server} {now.Weight}"));
                commands.Add($"set server {server} state {(now.Weight > 0 ? "ready" : "drain")}");
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
