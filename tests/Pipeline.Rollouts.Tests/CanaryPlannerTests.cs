using Pipeline.Rollouts.Canary;

namespace Pipeline.Rollouts.Tests;

public sealed class CanaryPlannerTests
{
    [Fact]
    public void The_defaults_plan_three_steps_ending_at_full_traffic()
    {
        var (plan, problems) = CanaryPlanner.Plan(CanaryPlanner.DefaultSteps, 30, ["success_rate>=0.999", "p99<20ms"], 50);
        Assert.Empty(problems);
        Assert.Equal([10, 50, 100], plan!.StepPercents);
        Assert.Equal(TimeSpan.FromSeconds(30), plan.StepDuration);
        Assert.Equal([99.0], plan.Percentiles);
        Assert.Equal(TimeSpan.FromSeconds(7), plan.AnalysisInterval);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (plan, problems) = CanaryPlanner.Plan("10,5,abc,100", 1, ["p99<20ms", "rps>1"], 0);
        Assert.Null(plan);
        Assert.Collection(problems,
            p => Assert.Contains("5 follows 10", p),
            p => Assert.Contains("'abc' is not a percentage", p),
            p => Assert.Contains("--canary-step-seconds 1", p),
            p => Assert.Contains("--canary-min-requests 0", p),
            p => Assert.Contains("'rps>1'", p));
    }

    [Theory]
    [InlineData("10,50")]
    [InlineData("")]
    public void A_plan_that_never_reaches_full_traffic_is_refused(string steps)
    {
        var (_, problems) = CanaryPlanner.Plan(steps, 10, ["p99<20ms"], 10);
        Assert.Contains(problems, p => p.Contains("last step must be 100") || p.Contains("not a percentage"));
    }

    [Fact]
    public void A_canary_without_thresholds_is_refused()
    {
        var (_, problems) = CanaryPlanner.Plan("50,100", 10, [], 10);
        Assert.Contains(problems, p => p.Contains("--canary-thresholds is empty"));
    }
}
