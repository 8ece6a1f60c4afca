namespace Pipeline.Engine.Tests;

/// <summary>The outcome of an in-process build: exit code, everything printed, and the structured result.</summary>
public sealed record BuildRun(int ExitCode, string Output, BuildResult Result)
{
    public RunSummary Summary => Result.Summary ?? throw new InvalidOperationException($"No targets ran (exit {ExitCode}). Output:\n{Output}");

    public TargetStatus StatusOf(string target) => Summary[target].Status;

    public string[] Lines => Output.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\n{Output}";
}
