using System.Text;

namespace Pipeline.Gates;

/// <summary>gates.md: the decision, one table row per gate outcome, and the candidates' measurements, for the GitHub step summary.</summary>
public static class GateReportMarkdown
{
    public static string Render(GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var markdown = new StringBuilder();
        markdown.AppendLine("## Release gates").AppendLine();
        markdown.AppendLine(report.Decision.Winner is { } winner
            ? $"**Decision: ship `{Cell(winner)}`.** {Cell(report.Decision.Explanation)}"
            : $"**Decision: nothing released.** {Cell(report.Decision.Explanation)}");
        markdown.AppendLine();
        markdown.AppendLine("| candidate | gate | threshold | measured | margin | result |");
        markdown.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var outcome in report.Outcomes)
        {
            var comparison = outcome.Comparison == GateComparison.AtLeast ? "≥" : "≤";
            markdown.AppendLine(
                $"| {Cell(outcome.Candidate)} | {outcome.Gate} | {comparison} {GateFormat.Value(outcome.Unit, outcome.Threshold)} | " +
                $"{(outcome.Measured is { } measured ? GateFormat.Value(outcome.Unit, measured) : "—")} | " +
                $"{(outcome.Margin is { } margin ? GateFormat.Margin(outcome.Unit, margin) : "—")} | {(outcome.Passed ? "pass" : "**FAIL**")} |");
        }

        markdown.AppendLine();
        markdown.AppendLine("| candidate | kind | size | accuracy | log loss | batch-1 p50 | batch-1 p99 | batch-64 p50 |");
        markdown.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var candidate in report.Candidates)
        {
            markdown.AppendLine(
                $"| {Cell(candidate.Name)} | {candidate.Kind} | {GateFormat.Value(GateUnit.Megabytes, candidate.SizeMb)} | " +
                $"{GateFormat.Value(GateUnit.Fraction, candidate.Accuracy)} | {candidate.LogLoss:0.0000} | " +
                $"{GateFormat.Value(GateUnit.Milliseconds, candidate.SingleRowLatency.P50Ms)} | " +
                $"{GateFormat.Value(GateUnit.Milliseconds, candidate.SingleRowLatency.P99Ms)} | " +
                $"{GateFormat.Value(GateUnit.Milliseconds, candidate.BatchLatency.P50Ms)} |");
        }

        markdown.AppendLine();
        var production = report.Production.Model is { } model
            ? $"{model.Version} ({GateFormat.Value(GateUnit.Fraction, model.Accuracy)})"
            : "nothing released yet";
        markdown.AppendLine($"Serving in environment `{Cell(report.Production.Environment)}`: {Cell(production)}.");
        if (report.MeasuredOn is { } cpu)
            markdown.AppendLine().AppendLine($"Measured on {Cell(cpu.Describe())}.");
        return markdown.ToString();
    }

    // A '|' inside a cell would end it; a newline would end the row.
    private static string Cell(string text) => text.Replace("|", "\\|").ReplaceLineEndings(" ");
}
