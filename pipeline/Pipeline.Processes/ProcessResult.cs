namespace Pipeline.Processes;

/// <summary>Exit code and the complete captured output of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last few non-empty lines of standard error (or output when error is empty), for messages.</summary>
    public string ErrorTail(int lines = 5)
    {
        var text = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
        var tail = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeLast(lines);
        return string.Join(" | ", tail);
    }
}
