namespace Pipeline.Prerequisites.Tests;

public sealed class PrerequisiteSetupTests
{
    private sealed class Scripted(string name, Func<PrerequisiteResult> ensure) : IPrerequisite
    {
        public string Name => name;

        public int Calls { get; private set; }

        public Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(ensure());
        }
    }

    private static PrerequisiteResult Present(string name) =>
        new(name, PrerequisiteStatus.AlreadyPresent, "found", new Dictionary<string, string>());

    [Fact]
    public async Task Keeps_going_after_a_failure_and_reports_every_result_in_order()
    {
        var reported = new List<string>();
        var last = new Scripted("C", () => Present("C"));
        var prerequisites = new IPrerequisite[]
        {
            new Scripted("A", () => Present("A")),
            new Scripted("B", () => throw new PrerequisiteException("B", "B missing: run fix-b")),
            last,
        };

        var results = await PrerequisiteSetup.RunAllAsync(prerequisites, r => reported.Add(r.Name), CancellationToken.None);

        Assert.Equal(["A", "B", "C"], reported);
        Assert.Equal(1, last.Calls);
        Assert.Equal(PrerequisiteStatus.Failed, results[1].Status);
        Assert.Equal("B missing: run fix-b", results[1].Message);
    }

    [Fact]
    public void ThrowIfAnyFailed_lists_every_failure_with_its_fix()
    {
        var results = new[]
        {
            Present("A"),
            PrerequisiteResult.Failed("B", new PrerequisiteException("B", "B missing: run fix-b")),
            PrerequisiteResult.Failed("C", new PrerequisiteException("C", "C missing: run fix-c")),
        };

        var error = Assert.Throws<PrerequisiteException>(() => PrerequisiteSetup.ThrowIfAnyFailed(results));

        Assert.Contains("- B: B missing: run fix-b", error.Message);
        Assert.Contains("- C: C missing: run fix-c", error.Message);
        Assert.StartsWith("2 prerequisite(s) missing", error.Message);
    }

    [Fact]
    public void ThrowIfAnyFailed_is_silent_when_all_are_present()
    {
        PrerequisiteSetup.ThrowIfAnyFailed([Present("A"), Present("B")]);
    }

    [Fact]
    public async Task Cancellation_is_not_turned_into_a_failed_row()
    {
        var cancelled = new Scripted("A", () => throw new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => PrerequisiteSetup.RunAllAsync([cancelled], null, CancellationToken.None));
    }
}
