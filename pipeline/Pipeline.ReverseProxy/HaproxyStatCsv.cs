using System.Globalization;

namespace Pipeline.ReverseProxy;

/// <summary>Parses <c>show stat</c>'s CSV (columns named by its "# pxname,svname,…" header) into the rows of the model backends, REST and gRPC.</summary>
internal static class HaproxyStatCsv
{
    private const string BackendPrefix = "model_";
    private const string GrpcBackendPrefix = "grpc_";

    public static IReadOnlyList<EdgeServerStats> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
            throw new EdgeProcessException($"show stat did not answer with its CSV header: '{(lines.Length > 0 ? lines[0] : "")}'.");
        var columns = lines[0][2..].Split(',').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        int Column(string name) => columns.TryGetValue(name, out var index) ? index
            : throw new EdgeProcessException($"show stat has no column '{name}'; this haproxy is not the 2.6 the edge was written for.");
        var (px, sv, scur, stot, h5xx, econ, eresp, status, weight) = (Column("pxname"), Column("svname"), Column("scur"), Column("stot"),
            Column("hrsp_5xx"), Column("econ"), Column("eresp"), Column("status"), Column("weight"));

        var rows = new List<EdgeServerStats>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < columns.Count - 1) continue;
            // The gRPC frontend shares its backend's name; only backend and server rows count.
            if (f[sv] is not ("blue" or "green" or EdgeServerStats.BackendSlot)) continue;
            var grpc = f[px].StartsWith(GrpcBackendPrefix, StringComparison.Ordinal);
            if (!grpc && !f[px].StartsWith(BackendPrefix, StringComparison.Ordinal)) continue;
            var model = f[px][(grpc ? GrpcBackendPrefix : BackendPrefix).Length..];
            rows.Add(new EdgeServerStats(model, f[sv], Long(f[scur]), Long(f[stot]), Long(f[h5xx]), Long(f[econ]) + Long(f[eresp]),
                f[status], (int)Long(f[weight])) { Grpc = grpc });
        }
        return rows;
    }

    private static long Long(string field) => long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
