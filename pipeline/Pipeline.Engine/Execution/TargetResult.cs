namespace Pipeline.Engine;

/// <summary>The outcome of one planned target. <see cref="Reason"/> explains skips, up-to-date checks, reruns and NotRun.</summary>
public sealed record TargetResult(string Name, TargetStatus Status, string? Reason, TimeSpan Duration, Exception? Error = null)
{
    /// <summary>The first line of the error message, as shown in the summary.</summary>
    public string? ErrorSummary => Error is null ? null : FirstLine(Error.Message);

    public bool IsFailure => Status is TargetStatus.Failed or TargetStatus.Aborted;

    private static string FirstLine(string text)
    {
        var trimmed = text.TrimStart();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end];
    }
}
