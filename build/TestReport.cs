using Pipeline.DotNet;
using Pipeline.Engine;

/// <summary>Prints the test counts the way people and CI read them, and fails the target on any failed test.</summary>
static class TestReport
{
    public static void Write(TargetContext ctx, TestRunSummary summary)
    {
        foreach (var failure in summary.Failures)
            ctx.Log.WriteLine($"FAILED {failure.Name}: {failure.Message}");
        ctx.AppendStepSummary($"### Tests\n\n{summary.ClosingLine} ({summary.ResultFiles.Count} test projects)\n");
        // The closing line stands alone so CI recognises it.
        ctx.Log.WriteLine(summary.ClosingLine);
        if (summary.Failed > 0)
            throw new InvalidOperationException($"{summary.Failed} of {summary.Total} tests failed (first: {summary.Failures.FirstOrDefault()?.Name}).");
        if (summary.Total == 0)
            throw new InvalidOperationException("No test ran: the test projects discovered no tests.");
    }
}
