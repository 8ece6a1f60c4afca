using System.Text;

namespace Pipeline.LoadTesting.Reports;

/// <summary>report.md: verdict, threshold table, percentile table and error breakdown, for CI summaries and PRs.</summary>
internal static class MarkdownReport
{
    public static string Render(LoadTestReport report)
    {
        var r = report.Result;
        var md = new StringBuilder();
        md.AppendLine($"# {report.Title}").AppendLine();
        md.AppendLine($"**{(report.Passed ? "PASSED" : "FAILED")}** — {r.Model} model, {ReportFormat.Number(r.Duration.TotalSeconds)} s, " +
                      $"{r.Requests} requests ({ReportFormat.Number(r.RequestsPerSecond)} req/s), {r.Errors} errors, {r.Dropped} dropped, " +
                      $"{r.BytesSent} B sent, {r.BytesReceived} B received.").AppendLine();

        md.AppendLine("## Thresholds").AppendLine();
        if (report.Thresholds.Count == 0) md.AppendLine("No thresholds were set.");
        else
        {
            md.AppendLine("| Threshold | Measured | Margin | Result |").AppendLine("|---|---|---|---|");
            foreach (var t in report.Thresholds)
                md.AppendLine($"| `{t.Threshold.Expression}` | {ReportFormat.InUnit(t.Threshold, t.Measured)} | {ReportFormat.InUnit(t.Threshold, t.Margin)} | {(t.Passed ? "pass" : "**FAIL**")} |");
        }
        md.AppendLine();

        md.AppendLine("## Latency percentiles").AppendLine().AppendLine("| Percentile | Latency |").AppendLine("|---|---|");
        foreach (var (label, _, value) in r.Latency.Rows) md.AppendLine($"| {label} | {ReportFormat.Ms(value)} |");
        md.AppendLine();

        if (r.StatusCodes.Count + r.ErrorKinds.Count > 0)
        {
            md.AppendLine("## Outcomes").AppendLine().AppendLine("| Outcome | Count |").AppendLine("|---|---|");
            foreach (var (code, count) in r.StatusCodes) md.AppendLine($"| HTTP {code} | {count} |");
            foreach (var (kind, count) in r.ErrorKinds) md.AppendLine($"| {kind} | {count} |");
        }
        return md.ToString();
    }
}
