using System.Text;
using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>The end-of-run table (console) and its Markdown form (GitHub step summary).</summary>
internal static class SummaryPrinter
{
    public static void Print(RunSummary summary, OutputSink sink)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Build summary");
        table.AddColumn("Target");
        table.AddColumn("Status");
        table.AddColumn(new TableColumn("Duration").RightAligned());
        table.AddColumn("Details");
        foreach (var result in summary.Results)
        {
            table.AddRow(
                new Text(result.Name),
                new Text(result.Status.ToString(), new Style(ExecutionReporter.StatusColor(result.Status))),
                new Text(Ran(result) ? DurationText.Format(result.Duration) : "-"),
                new Text(sink.Masker.Apply(Details(result))));
        }

        table.AddEmptyRow();
        table.AddRow(
            new Text("Total"),
            new Text(Outcome(summary), summary.Succeeded ? new Style(Color.Green) : new Style(Color.Red)),
            new Text(DurationText.Format(summary.Duration)),
            new Text(Counts(summary)));
        sink.Write(table);
    }

    public static string ToMarkdown(RunSummary summary, SecretMasker masker)
    {
        var markdown = new StringBuilder()
            .AppendLine("### Build summary")
            .AppendLine()
            .AppendLine("| Target | Status | Duration | Details |")
            .AppendLine("| --- | --- | ---: | --- |");
        foreach (var result in summary.Results)
        {
            markdown.AppendLine(
                $"| {Cell(result.Name)} | {Icon(result.Status)} {result.Status} | {(Ran(result) ? DurationText.Format(result.Duration) : "-")} | {Cell(masker.Apply(Details(result)))} |");
        }

        markdown.AppendLine($"| **Total** | **{Outcome(summary)}** | {DurationText.Format(summary.Duration)} | {Cell(Counts(summary))} |");
        return markdown.ToString();
    }

    /// <summary>The first error line for failures, the reason otherwise.</summary>
    public static string Details(TargetResult result) =>
        result.Status == TargetStatus.Failed ? result.ErrorSummary ?? result.Reason ?? "" : result.Reason ?? "";

    private static bool Ran(TargetResult result) => result.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted;

    private static string Outcome(RunSummary summary) =>
        summary.WasCancelled ? "Build cancelled" : summary.Succeeded ? "Build succeeded" : "Build failed";

    private static string Counts(RunSummary summary) =>
        string.Join(", ", summary.Results.GroupBy(result => result.Status).OrderBy(group => group.Key).Select(group => $"{group.Count()} {group.Key}"));

    private static string Icon(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded or TargetStatus.UpToDate => "✅",
        TargetStatus.Failed or TargetStatus.Aborted => "❌",
        TargetStatus.NotRun => "⚠️",
        _ => "⏭️",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
