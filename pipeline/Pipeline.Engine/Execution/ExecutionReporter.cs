using System.Collections.Concurrent;
using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>
/// Decides how target output reaches the console. Sequential runs stream lines under a header (inside a
/// ::group:: on GitHub Actions); parallel runs prefix each line with <c>[Target] </c>, or on GitHub Actions keep each
/// target's lines and print them as one group when it ends. Quiet runs keep only a tail, printed if the target fails.
/// </summary>
internal sealed class ExecutionReporter(OutputSink sink, Verbosity verbosity, bool parallel, GitHubActions? gitHubActions)
{
    private const int QuietTailLines = 200;
    private readonly ConcurrentDictionary<string, Queue<string>> _buffers = new(StringComparer.Ordinal);

    private bool Quiet => verbosity == Verbosity.Quiet;

    private bool GroupsWhenFinished => gitHubActions is not null && parallel;

    public void TargetStarted(string name, string? runReason)
    {
        if (Quiet || GroupsWhenFinished)
        {
            _buffers[name] = new Queue<string>();
        }

        if (Quiet)
        {
            return;
        }

        var because = runReason is null ? null : $"Running because {runReason}.";
        if (GroupsWhenFinished)
        {
            if (because is not null)
            {
                TargetOutput(name, because);
            }

            return;
        }

        if (gitHubActions is not null)
        {
            sink.WriteLine(GitHubActions.Group(name));
        }
        else if (parallel)
        {
            sink.WriteLine($"[{name}] started");
        }
        else
        {
            sink.Write(new Rule(Markup.Escape(name)) { Justification = Justify.Left });
        }

        if (because is not null)
        {
            TargetOutput(name, because);
        }
    }

    public void TargetOutput(string name, string line)
    {
        if (_buffers.TryGetValue(name, out var buffer))
        {
            lock (buffer)
            {
                buffer.Enqueue(line);
                if (Quiet && buffer.Count > QuietTailLines)
                {
                    buffer.Dequeue();
                }
            }

            return;
        }

        sink.WriteLine(parallel ? $"[{name}] {line}" : line);
    }

    public void TargetFinished(TargetResult result, bool started)
    {
        if (started)
        {
            CloseLog(result);
        }

        if (!Quiet)
        {
            var reason = result.Status == TargetStatus.Failed ? result.ErrorSummary : result.Reason;
            var text = $"{result.Name}: {result.Status}" + (reason is null ? "" : $" ({reason})") +
                       (started ? $" in {DurationText.Format(result.Duration)}" : "");
            sink.WriteStyled(text, StatusColor(result.Status));
        }

        if (result.Status == TargetStatus.Failed && gitHubActions is not null)
        {
            sink.WriteLine(GitHubActions.Error($"{result.Name} failed", result.Error?.Message ?? result.Reason ?? "failed"));
        }
    }

    public void Error(string message)
    {
        if (gitHubActions is not null)
        {
            sink.WriteLine(GitHubActions.Error("Build error", message));
            return;
        }

        sink.WriteStyled($"Error: {message}", Color.Red);
    }

    public void Info(string line)
    {
        if (!Quiet)
        {
            sink.WriteLine(line);
        }
    }

    private void CloseLog(TargetResult result)
    {
        _buffers.TryRemove(result.Name, out var buffer);
        string[] lines;
        if (buffer is null)
        {
            lines = [];
        }
        else
        {
            lock (buffer)
            {
                lines = buffer.ToArray();
            }
        }

        if (Quiet)
        {
            if (result.IsFailure && lines.Length > 0)
            {
                sink.WriteLines([$"--- {result.Name} {result.Status.ToString().ToLowerInvariant()}; last {lines.Length} lines of its log ---", .. lines, "---"]);
            }

            return;
        }

        if (GroupsWhenFinished)
        {
            sink.WriteLines([GitHubActions.Group(result.Name), .. lines, GitHubActions.EndGroup]);
        }
        else if (gitHubActions is not null)
        {
            sink.WriteLine(GitHubActions.EndGroup);
        }
    }

    public static Color StatusColor(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded or TargetStatus.UpToDate => Color.Green,
        TargetStatus.Failed or TargetStatus.Aborted => Color.Red,
        TargetStatus.NotRun => Color.Yellow,
        _ => Color.Grey,
    };
}
