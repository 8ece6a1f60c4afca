using System.Text;

namespace Pipeline.Engine;

/// <summary>
/// GitHub Actions workflow commands (log groups, error annotations, masks) and the job step summary file.
/// Active only when the run's environment has GITHUB_ACTIONS=true.
/// </summary>
internal sealed class GitHubActions
{
    private readonly Lock _summaryLock = new();

    private GitHubActions(string? stepSummaryPath) => StepSummaryPath = stepSummaryPath;

    public string? StepSummaryPath { get; }

    public static GitHubActions? Detect(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("GITHUB_ACTIONS", out var value) && value.Equals("true", StringComparison.OrdinalIgnoreCase)
            ? new GitHubActions(environment.TryGetValue("GITHUB_STEP_SUMMARY", out var path) && !string.IsNullOrWhiteSpace(path) ? path : null)
            : null;

    public static string Group(string title) => $"::group::{EscapeData(title)}";

    public static string EndGroup => "::endgroup::";

    public static string Error(string title, string message) => $"::error title={EscapeProperty(title)}::{EscapeData(message)}";

    public static string AddMask(string value) => $"::add-mask::{EscapeData(value)}";

    /// <summary>Appends Markdown to the step summary; returns false when GITHUB_STEP_SUMMARY is not set.</summary>
    public bool AppendStepSummary(string markdown)
    {
        if (StepSummaryPath is null)
        {
            return false;
        }

        lock (_summaryLock)
        {
            File.AppendAllText(StepSummaryPath, markdown.EndsWith('\n') ? markdown : markdown + "\n", Encoding.UTF8);
        }

        return true;
    }

    public static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string value) =>
        EscapeData(value)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);
}
