using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.AbTest;

/// <summary>One version's side of an A/B test over its whole window: requests, 5xx, latency and the classes it predicted.</summary>
public sealed record AbSide(VersionMeasurement Measurement, IReadOnlyDictionary<string, double> PredictedClasses, TimeSpan Window)
{
    public double RequestsPerSecond => Measurement.Requests / Window.TotalSeconds;
}

/// <summary>
/// An A/B test's report: both versions served side by side for the same window with a fixed split. Neither is promoted
/// by the report; a person reads it and runs Promote.
/// </summary>
public sealed record AbComparison(AbSide A, AbSide B, int WeightPercentB)
{
    /// <summary>Markdown: one row per version, then the predicted-class distribution of each, as shares of its answers.</summary>
    public string Markdown()
    {
        string Latency(VersionMeasurement m, double p) => m.LatencyMilliseconds.TryGetValue(p, out var v) && double.IsFinite(v) ? $"{v:F1} ms" : "n/a";
        string Rate(double? r) => r is { } v ? $"{v:P2}" : "n/a";
        var lines = new List<string>
        {
            "| version | traffic | requests | req/s | error ratio (5xx) | p50 | p99 |",
            "|---|---|---|---|---|---|---|",
        };
        foreach (var (side, share) in new[] { (A, 100 - WeightPercentB), (B, WeightPercentB) })
            lines.Add($"| {side.Measurement.Version} | {share} % | {side.Measurement.Requests:F0} | {side.RequestsPerSecond:F1} | {Rate(side.Measurement.ErrorRate)} | " +
                      $"{Latency(side.Measurement, 50)} | {Latency(side.Measurement, 99)} |");
        var classes = A.PredictedClasses.Keys.Union(B.PredictedClasses.Keys).Order(StringComparer.Ordinal).ToList();
        if (classes.Count > 0)
        {
            lines.Add("");
            lines.Add($"| predicted class | {A.Measurement.Version} | {B.Measurement.Version} |");
            lines.Add("|---|---|---|");
            foreach (var c in classes) lines.Add($"| {c} | {Share(A, c)} | {Share(B, c)} |");
        }
        return string.Join('\n', lines) + "\n";
    }

    private static string Share(AbSide side, string label)
    {
        var total = side.PredictedClasses.Values.Sum();
        return total > 0 ? $"{side.PredictedClasses.GetValueOrDefault(label) / total:P1}" : "n/a";
    }
}
