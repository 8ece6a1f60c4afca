using Pipeline.IO;
using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.LoadTesting.Reports;

/// <summary>What every report renders: the run, its threshold verdicts and a title naming the target.</summary>
public sealed record LoadTestReport(string Title, LoadTestResult Result, IReadOnlyList<ThresholdResult> Thresholds)
{
    public bool Passed => Thresholds.All(t => t.Passed);
}

/// <summary>Writes report.json, report.md and report.html into a directory.</summary>
public static class LoadTestReportWriter
{
    public const string JsonFileName = "report.json";
    public const string MarkdownFileName = "report.md";
    public const string HtmlFileName = "report.html";

    public static async Task WriteAsync(LoadTestReport report, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, JsonFileName), JsonReport.Render(report), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, MarkdownFileName), MarkdownReport.Render(report), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, HtmlFileName), HtmlReport.Render(report), cancellationToken).ConfigureAwait(false);
    }
}
