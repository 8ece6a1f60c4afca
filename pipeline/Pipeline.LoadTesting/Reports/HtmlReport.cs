using System.Net;
using System.Text;

namespace Pipeline.LoadTesting.Reports;

/// <summary>report.html: one self-contained page (inline CSS and SVG, no scripts) with tables and two charts.</summary>
internal static class HtmlReport
{
    public static string Render(LoadTestReport report)
    {
        var r = report.Result;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/><title>").Append(E(report.Title)).Append("</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}" +
                    ".fail{color:#b00;font-weight:bold}.pass{color:#070}</style></head><body>");
        html.Append("<h1>").Append(E(report.Title)).Append("</h1><p class=\"").Append(report.Passed ? "pass\">PASSED" : "fail\">FAILED").Append("</p>");
        html.Append("<p>").Append(E($"{r.Model} model, {ReportFormat.Number(r.Duration.TotalSeconds)} s, {r.Requests} requests " +
                                    $"({ReportFormat.Number(r.RequestsPerSecond)} req/s), {r.Errors} errors, {r.Dropped} dropped.")).Append("</p>");

        html.Append("<h2>Thresholds</h2><table><tr><th>Threshold</th><th>Measured</th><th>Margin</th><th>Result</th></tr>");
        foreach (var t in report.Thresholds)
            html.Append("<tr><td><code>").Append(E(t.Threshold.Expression)).Append("</code></td><td>").Append(E(ReportFormat.InUnit(t.Threshold, t.Measured)))
                .Append("</td><td>").Append(E(ReportFormat.InUnit(t.Threshold, t.Margin))).Append("</td><td class=\"").Append(t.Passed ? "pass\">pass" : "fail\">FAIL").Append("</td></tr>");
        html.Append("</table>");

        html.Append("<h2>Latency percentiles</h2><table><tr><th>Percentile</th><th>Latency</th></tr>");
        foreach (var (label, _, value) in r.Latency.Rows) html.Append("<tr><td>").Append(label).Append("</td><td>").Append(E(ReportFormat.Ms(value))).Append("</td></tr>");
        html.Append("</table>");

        html.Append(PercentileChart(report)).Append(OverTimeChart(report)).Append("</body></html>");
        return html.ToString();
    }

    // x is the number of nines (p90 → 1, p99 → 2, p99.9 → 3), the usual spacing for latency distributions.
    private static string PercentileChart(LoadTestReport report)
    {
        var h = report.Result.Histogram;
        var points = new List<(double, double)>();
        if (h.Count > 0)
        {
            foreach (var p in new[] { 50, 75, 90, 95, 99, 99.5, 99.9, 99.99 })
                points.Add((-Math.Log10(1 - (p / 100)), h.Percentile(p).TotalMilliseconds));
        }
        return "<h2>Latency by percentile</h2>" + new SvgChart("Latency (ms) by percentile", "percentile (nines: 0.3 = p50, 1 = p90, 2 = p99, 3 = p99.9)")
            .Line("latency ms", points).Render();
    }

    private static string OverTimeChart(LoadTestReport report)
    {
        var series = report.Result.TimeSeries;
        return "<h2>Latency and throughput over time</h2>" + new SvgChart("p99 latency (ms, left) and requests/s (right)", "second")
            .Line("p99 ms", series.Select(s => ((double)s.Second, s.P99.TotalMilliseconds)).ToList())
            .Line("req/s", series.Select(s => ((double)s.Second, (double)s.Count)).ToList(), rightAxis: true)
            .Render();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
