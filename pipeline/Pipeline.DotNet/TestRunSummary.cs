namespace Pipeline.DotNet;

/// <summary>One failed test: its full name and the first line of its failure message.</summary>
public sealed record FailedTest(string Name, string Message);

/// <summary>Counts from one or more test result files, added up.</summary>
public sealed record TestRunSummary(int Total, int Passed, int Failed, int Skipped, IReadOnlyList<FailedTest> Failures, IReadOnlyList<string> ResultFiles)
{
    public static TestRunSummary Empty { get; } = new(0, 0, 0, 0, [], []);

    public TestRunSummary Add(TestRunSummary other) => new(
        Total + other.Total, Passed + other.Passed, Failed + other.Failed, Skipped + other.Skipped,
        [.. Failures, .. other.Failures], [.. ResultFiles, .. other.ResultFiles]);

    /// <summary>The closing line CI systems read: "N passed, N failed" (with skipped when there are any).</summary>
    public string ClosingLine => Skipped == 0
        ? $"{Passed} passed, {Failed} failed"
        : $"{Passed} passed, {Failed} failed, {Skipped} skipped";
}
