namespace Pipeline.Engine.Tests.Planning;

/// <summary>The planner alone: closure, order, skips and requirements, without running anything.</summary>
public sealed class PlannerTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private ExecutionPlan Plan(BuildDefinition build, PlanRequest request) =>
        ExecutionPlanner.Plan(BuildGraph.From(build, _root.Directory), request);

    private static string[] Names(ExecutionPlan plan) => plan.Targets.Select(t => t.Name).ToArray();

    [Fact]
    public void Closure_adds_dependencies_and_triggered_targets_but_not_ordering_only_targets()
    {
        var plan = Plan(new OrderBuild(new EventLog()), new PlanRequest(["Pack"]));

        Assert.Equal(["Restore", "Compile", "Test", "Report", "Pack"], Names(plan));
        Assert.Equal(["Pack"], plan.Invoked);
        Assert.True(plan["Pack"].IsInvoked);
        Assert.False(plan["Test"].IsInvoked);
        Assert.Equal(["Test"], plan["Report"].Predecessors);
    }

    [Fact]
    public void After_and_Before_order_targets_that_are_both_planned()
    {
        var plan = Plan(new OrderBuild(new EventLog()), new PlanRequest(["pack", "LINT", "clean"]));

        Assert.Equal(["Clean", "Restore", "Compile", "Lint", "Test", "Report", "Pack"], Names(plan));
        Assert.Equal(["Clean"], plan["Restore"].Predecessors);
        Assert.Equal(["Lint", "Test"], plan["Pack"].Predecessors);
    }

    [Fact]
    public void Ties_are_broken_by_declaration_order_not_request_order()
    {
        var plan = Plan(new OrderBuild(new EventLog()), new PlanRequest(["Report", "Lint", "Clean", "Restore"]));

        Assert.Equal(["Clean", "Restore", "Lint", "Report"], Names(plan));
    }

    [Fact]
    public void Bare_skip_skips_everything_not_invoked_and_named_skip_only_those()
    {
        var all = Plan(new OrderBuild(new EventLog()), new PlanRequest(["Pack"]) { SkipAllNotInvoked = true });
        var named = Plan(new OrderBuild(new EventLog()), new PlanRequest(["Pack"]) { SkippedTargets = ["compile"] });

        Assert.Equal(["Pack"], all.Targets.Where(t => t.Action == PlannedAction.Run).Select(t => t.Name));
        Assert.All(all.Targets.Where(t => t.Name != "Pack"), t => Assert.Equal("not invoked, and --skip given", t.Reason));
        Assert.Equal("named in --skip", named["Compile"].Reason);
        Assert.Equal(["Compile"], named.Targets.Where(t => t.Action == PlannedAction.Skipped).Select(t => t.Name));
    }

    private sealed class CycleBuild : BuildDefinition
    {
        Target A => _ => _.DependsOn(B);
        Target B => _ => _.DependsOn(C);
        Target C => _ => _.DependsOn(A);
        Target D => _ => _.DependsOn(A);
        Target E => _ => _.After(F);
        Target F => _ => _.After(E);
        Target G => _ => _.DependsOn(G);
    }

    [Theory]
    [InlineData("D", "Dependency cycle: A -> B -> C -> A")]
    [InlineData("B", "Dependency cycle: A -> B -> C -> A")]
    [InlineData("E F", "Dependency cycle: E -> F -> E")]
    [InlineData("G", "Dependency cycle: G -> G")]
    public void Cycles_are_named(string targets, string message)
    {
        var error = Assert.Throws<BuildConfigurationException>(() => Plan(new CycleBuild(), new PlanRequest(targets.Split(' '))));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void After_alone_does_not_form_a_cycle_when_one_side_is_not_planned()
    {
        var plan = Plan(new CycleBuild(), new PlanRequest(["E"]));

        Assert.Equal(["E"], Names(plan));
    }

    private sealed class ConditionBuild : BuildDefinition
    {
        public bool IsMainBranch { get; init; }
        [Parameter] public readonly string? ApiKey;
        [Parameter] public readonly bool Approved;

        Target Package => _ => _.Executes(() => { });
        Target Sign => _ => _.DependsOn(Package).Executes(() => { });
        Target Deploy => _ => _.DependsOn(Sign).OnlyWhenStatic(() => IsMainBranch).Requires(() => ApiKey).Executes(() => { });
        Target Verify => _ => _.DependsOn(Package).Executes(() => { });
        Target Broken => _ => _.OnlyWhenStatic(() => ApiKey!.Length > 0).Executes(() => { });
        Target Release => _ => _.Requires(() => Approved).Executes(() => { });
    }

    [Fact]
    public void A_required_bool_must_be_true()
    {
        var error = Assert.Throws<BuildConfigurationException>(() => Plan(new ConditionBuild(), new PlanRequest(["Release"])));

        Assert.Equal("Target Release requires Approved to be true, but it is false.", error.Message);
    }

    [Fact]
    public void Static_condition_skips_the_target_and_dependencies_only_it_needs()
    {
        var plan = Plan(new ConditionBuild { IsMainBranch = false }, new PlanRequest(["Deploy"]));

        Assert.Equal((PlannedAction.Skipped, "condition false: IsMainBranch"), (plan["Deploy"].Action, plan["Deploy"].Reason));
        Assert.Equal("only needed by skipped Deploy", plan["Sign"].Reason);
        Assert.Equal(PlannedAction.Skipped, plan["Package"].Action);
    }

    [Fact]
    public void A_dependency_still_needed_by_another_target_runs()
    {
        var plan = Plan(new ConditionBuild { IsMainBranch = false }, new PlanRequest(["Deploy", "Verify"]));

        Assert.Equal(PlannedAction.Run, plan["Package"].Action);
        Assert.Equal(PlannedAction.Skipped, plan["Sign"].Action);
        Assert.Equal(PlannedAction.Run, plan["Verify"].Action);
    }

    [Fact]
    public void Requires_is_checked_for_planned_targets_only_when_they_will_run()
    {
        var skipped = Plan(new ConditionBuild { IsMainBranch = false }, new PlanRequest(["Deploy"]));
        var error = Assert.Throws<BuildConfigurationException>(() => Plan(new ConditionBuild { IsMainBranch = true }, new PlanRequest(["Deploy"])));

        Assert.Equal(PlannedAction.Skipped, skipped["Deploy"].Action);
        Assert.Equal(
            "Target Deploy requires parameter ApiKey, but it has no value. Pass --api-key <string>, set API_KEY, or add \"ApiKey\" to .nuke/parameters.json.",
            error.Message);
    }

    [Fact]
    public void A_static_condition_that_throws_is_a_planning_error()
    {
        var error = Assert.Throws<BuildConfigurationException>(() => Plan(new ConditionBuild(), new PlanRequest(["Broken"])));

        Assert.StartsWith("Target Broken: OnlyWhenStatic(ApiKey!.Length > 0) threw NullReferenceException", error.Message);
    }

    [Fact]
    public void Unknown_and_missing_targets_are_errors()
    {
        var unknown = Assert.Throws<BuildConfigurationException>(() => Plan(new OrderBuild(new EventLog()), new PlanRequest(["Pakc"]) { SkippedTargets = ["Lnt"] }));
        var none = Assert.Throws<BuildConfigurationException>(() => Plan(new OrderBuild(new EventLog()), new PlanRequest([])));

        Assert.Equal(["Unknown target 'Pakc'. Did you mean 'Pack'?", "Unknown target 'Lnt'. Did you mean 'Lint'?"], unknown.Errors);
        Assert.Equal("No target to run: name one on the command line or override DefaultTarget.", none.Message);
    }

    [Theory]
    [InlineData("Trian", "Train", 1)]
    [InlineData("min-acuracy", "min-accuracy", 1)]
    [InlineData("Tset", "Test", 1)]
    [InlineData("abc", "xyz", 3)]
    public void Distance_counts_insertions_deletions_substitutions_and_swaps(string a, string b, int distance)
    {
        Assert.Equal(distance, NameSuggester.Distance(a, b));
    }

    [Fact]
    public void Suggestions_require_a_close_match()
    {
        Assert.Equal("Train", NameSuggester.Suggest("trian", ["Setup", "Train", "Test"]));
        Assert.Null(NameSuggester.Suggest("Deploy", ["Setup", "Train", "Test"]));
    }
}
