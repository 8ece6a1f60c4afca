using System.Text;
using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Canary;

/// <summary>The analyses of a canary as a Markdown table: per step, the canary's and the stable version's values of each threshold.</summary>
public static class CanaryReport
{
    public static string Markdown(CanaryOutcome outcome)
    {
        var thresholds = outcome.Analyses.FirstOrDefault()?.Checks.Select(c => c.Threshold).ToList() ?? [];
        var text = new StringBuilder();
        text.Append("| step | window | canary requests | stable requests |");
        foreach (var t in thresholds) text.Append($" {t.Expression} (canary / stable) |");
        text.AppendLine(" verdict |");
        text.Append("|---|---|---|---|").Append(string.Concat(thresholds.Select(_ => "---|"))).AppendLine("---|");
        foreach (var a in outcome.Analyses)
        {
            text.Append($"| {a.WeightPercent} % | {a.Window.TotalSeconds:F0} s | {a.Canary.Requests:F0} | {(a.Stable is { } s ? s.Requests.ToString("F0") : "–")} |");
            foreach (var c in a.Checks) text.Append($" {c.Threshold.Format(c.Canary)} / {(a.Stable is null ? "–" : c.Threshold.Format(c.Stable))} |");
            text.AppendLine($" {a.Verdict.ToString().ToLowerInvariant()}{(a.Reason.Length > 0 ? ": " + a.Reason : "")} |");
        }
        return text.ToString();
    }
}
