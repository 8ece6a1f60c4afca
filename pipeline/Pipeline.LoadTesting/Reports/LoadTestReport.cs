using Pipeline.IO;
using Pipeline.LoadTesting.Baselines;
using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.LoadTesting.Reports;

/// <summary>What every report renders: the run, its threshold verdicts and a title naming the target.</summary>
/// <param name="Thresholds">The absolute thresholds that decide the verdict.</param>
public sealed record LoadTestReport(string Title, LoadTestResult Result, IReadOnlyList<ThresholdResult> Thresholds)
{
    /// <summary>The baseline measured side by side in the same run, and the relative thresholds checked against it.</summary>
    public BaselineComparison? Baseline { get; init; }

    /// <summary>Absolute thresholds measured and shown but not deciding (a baseline's relative ones decide instead).</summary>
    public IReadOnlyList<ThresholdResult> Informational { get; init; } = [];

    /// <summary>How busy the machine was during the run.</summary>
    public MachineLoad? Machine { get; init; }

    /// <summary>Why these thresholds decided, in a sentence (e.g. "first release: nothing in production to compare with").</summary>
    public string? Note { get; init; }

    public bool Passed => Thresholds.All(t => t.Passed) && (Baseline?.Thresholds.All(t => t.Passed) ?? true);
}

/// <summary>The version the candidate was compared with, its own result from the same run, and the relative verdicts.</summary>
public sealed record BaselineComparison(string Name, LoadTestResult Result, IReadOnlyList<RelativeThresholdResult> Thresholds);

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
