using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.LoadTesting.Results;

namespace Pipeline.LoadTesting.Reports;

/// <summary>report.json: machine-readable; latencies in milliseconds, NaN (no samples) written as null.</summary>
internal static class JsonReport
{
    public static string Render(LoadTestReport report)
    {
        var r = report.Result;
        var root = new JsonObject
        {
            ["title"] = report.Title,
            ["model"] = r.Model.ToString().ToLowerInvariant(),
            ["passed"] = report.Passed,
            ["durationSeconds"] = r.Duration.TotalSeconds,
            ["requests"] = r.Requests,
            ["requestsPerSecond"] = r.RequestsPerSecond,
            ["errors"] = r.Errors,
            ["dropped"] = r.Dropped,
            ["abandoned"] = r.Abandoned,
            ["errorRate"] = r.ErrorRate,
            ["bytesSent"] = r.BytesSent,
            ["bytesReceived"] = r.BytesReceived,
            ["latencyMs"] = LatencyObject(r.Latency),
            ["statusCodes"] = new JsonObject(r.StatusCodes.Select(p => KeyValuePair.Create(p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)p.Value))),
            ["errorKinds"] = new JsonObject(r.ErrorKinds.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["thresholds"] = new JsonArray(report.Thresholds.Select(t => (JsonNode)new JsonObject
            {
                ["expression"] = t.Threshold.Expression,
                ["measured"] = Finite(t.Measured),
                ["limit"] = t.Threshold.Limit,
                ["margin"] = Finite(t.Margin),
                ["passed"] = t.Passed,
            }).ToArray()),
            ["informationalThresholds"] = new JsonArray(report.Informational.Select(t => (JsonNode)new JsonObject
            {
                ["expression"] = t.Threshold.Expression,
                ["measured"] = Finite(t.Measured),
                ["limit"] = t.Threshold.Limit,
                ["passed"] = t.Passed,
            }).ToArray()),
            ["baseline"] = report.Baseline is { } baseline ? new JsonObject
            {
                ["name"] = baseline.Name,
                ["requests"] = baseline.Result.Requests,
                ["requestsPerSecond"] = baseline.Result.RequestsPerSecond,
                ["errorRate"] = baseline.Result.ErrorRate,
                ["latencyMs"] = LatencyObject(baseline.Result.Latency),
                ["thresholds"] = new JsonArray(baseline.Thresholds.Select(t => (JsonNode)new JsonObject
                {
                    ["expression"] = t.Threshold.Expression,
                    ["candidate"] = Finite(t.Candidate),
                    ["baseline"] = Finite(t.Baseline),
                    ["limit"] = Finite(t.Limit),
                    ["ratio"] = Finite(t.Ratio),
                    ["pairedWindows"] = t.PairedWindows,
                    ["windowSeconds"] = t.WindowSeconds,
                    ["wholeRunRatio"] = Finite(t.WholeRunRatio),
                    ["windowsBeyond"] = t.WindowsBeyond,
                    ["windowsNeeded"] = t.WindowsNeeded,
                    ["passed"] = t.Passed,
                }).ToArray()),
            } : null,
            ["machine"] = report.Machine is { } machine ? new JsonObject
            {
                ["loadAverage1Minute"] = Finite(machine.LoadAverage1Minute),
                ["busyPercent"] = Finite(machine.BusyPercent),
                ["stealPercent"] = Finite(machine.StealPercent),
                ["cores"] = machine.Cores,
            } : null,
            ["note"] = report.Note,
            ["timeSeries"] = new JsonArray(r.TimeSeries.Select(s => (JsonNode)new JsonObject
            {
                ["second"] = s.Second,
                ["count"] = s.Count,
                ["errors"] = s.Errors,
                ["dropped"] = s.Dropped,
                ["p50Ms"] = s.P50.TotalMilliseconds,
                ["p99Ms"] = s.P99.TotalMilliseconds,
            }).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject LatencyObject(LatencySummary latency)
    {
        var obj = new JsonObject { ["min"] = latency.Min.TotalMilliseconds, ["mean"] = latency.Mean.TotalMilliseconds };
        foreach (var (label, _, value) in latency.Rows) obj[label] = value.TotalMilliseconds;
        return obj;
    }

    private static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
