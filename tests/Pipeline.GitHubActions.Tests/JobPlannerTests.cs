using Pipeline.GitHubActions.Generation;
using TestSupport;

namespace Pipeline.GitHubActions.Tests;

public sealed class JobPlannerTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private IReadOnlyDictionary<string, JobPlan> Plan(PipelineWorkflow workflow) =>
        JobPlanner.Plan(SampleBuild.Graph(_root.Path), workflow).ToDictionary(plan => plan.Job.Id);

    [Fact]
    public void A_job_runs_the_closure_of_its_targets_and_skips_what_earlier_jobs_ran()
    {
        var plans = Plan(Sample.Pipeline());

        Assert.Equal(["Setup", "Compile", "Test"], plans["test"].Runs);
        Assert.Equal(["Setup", "Train", "Export", "Gate"], plans["model"].Runs);
        Assert.Equal(["Setup", "Image", "Load"], plans["image"].Runs);
        Assert.Equal(["Train", "Export", "Gate"], plans["image"].Skips);
        Assert.Equal(["Train", "Export", "Gate", "Image", "Load"], plans["ship"].Skips);
        Assert.Equal(["Setup", "Ship"], plans["ship"].Runs);
    }

    [Fact]
    public void Needs_follow_the_graph_without_edges_that_another_need_implies()
    {
        var plans = Plan(Sample.Pipeline());

        Assert.Empty(plans["test"].Needs);
        Assert.Empty(plans["model"].Needs);
        Assert.Equal(["model"], plans["image"].Needs);
        // ship skips targets of both model and image, but image already waits for model.
        Assert.Equal(["test", "image"], plans["ship"].Needs);
    }

    [Fact]
    public void Setup_runs_on_every_runner_and_makes_no_job_wait()
    {
        var plans = Plan(Sample.Workflow(new TargetJob("setup", "Setup"), new TargetJob("model", "Gate")));

        Assert.Contains("Setup", plans["model"].Runs);
        Assert.Empty(plans["model"].Needs);
    }

    [Fact]
    public void Downloads_what_run_targets_consume_from_skipped_ones_and_what_those_consumed()
    {
        var plans = Plan(Sample.Pipeline());

        var download = Assert.Single(plans["image"].Downloads);
        Assert.Equal("model", download.ProducerJob);
        // Image consumes out/gates/** from Gate; Gate consumed Export's model, Export consumed Train's files.
        Assert.Equal(["out/gates/**", "out/model/model.onnx", "out/train/**"], download.Patterns);
        Assert.Empty(plans["model"].Downloads);
    }

    [Fact]
    public void Declared_extra_consumes_download_from_the_job_that_ran_the_producer()
    {
        var ship = Plan(Sample.Pipeline())["ship"];

        Assert.Equal(["image", "model"], ship.Downloads.Select(d => d.ProducerJob));
        Assert.Equal(["out/image/image.json"], ship.Downloads[0].Patterns);
        Assert.Contains("out/gates/**", ship.Downloads[1].Patterns);
    }

    [Fact]
    public void A_rerun_target_runs_again_and_still_makes_the_job_wait_for_its_first_run()
    {
        var plans = Plan(Sample.Workflow(
            new TargetJob("model", "Gate"),
            new TargetJob("image", "Load"),
            new TargetJob("e2e", "Ship") { Reruns = ["Image"] }));

        Assert.Equal(["Setup", "Image", "Ship"], plans["e2e"].Runs);
        Assert.Equal(["Train", "Export", "Gate", "Load"], plans["e2e"].Skips);
        Assert.Equal(["image"], plans["e2e"].Needs);
        Assert.Equal("model", Assert.Single(plans["e2e"].Downloads).ProducerJob);
    }

    [Fact]
    public void Two_jobs_may_invoke_the_same_target_and_both_run_it()
    {
        var plans = Plan(Sample.Workflow(new TargetJob("model", "Gate"), new TargetJob("again", "Gate")));

        Assert.Equal(["Setup", "Gate"], plans["again"].Runs);
        Assert.Equal(["model"], plans["again"].Needs);
    }

    [Fact]
    public void A_consumed_producer_without_Produces_is_refused_with_the_fix()
    {
        var error = Assert.Throws<ArgumentException>(() => Plan(Sample.Workflow(
            new TargetJob("image", "Load"),
            new TargetJob("ship", "Ship") { AlsoConsumes = [new("Load", [])] })));

        Assert.Contains("Load, which declares no Produces", error.Message);
        Assert.Contains(".Produces(", error.Message);
    }

    [Theory]
    [InlineData("Load", "no earlier job runs it")]
    [InlineData("Test", "not among what")]
    public void A_rerun_of_a_target_no_earlier_job_ran_or_outside_the_closure_is_refused(string target, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Plan(Sample.Workflow(new TargetJob("image", target) { Reruns = ["Image"] })));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Needing_a_job_declared_later_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Plan(Sample.Workflow(new TargetJob("model", "Gate") { AlsoNeeds = ["test"] }, new TargetJob("test", "Test"))));

        Assert.Contains("'test', which is not declared before it", error.Message);
    }

    [Fact]
    public void A_misspelled_target_fails_with_the_closest_name()
    {
        var error = Assert.ThrowsAny<Exception>(() => Plan(Sample.Workflow(new TargetJob("model", "Gaet"))));

        Assert.Contains("Gate", error.Message);
    }

    [Fact]
    public void Consuming_a_target_the_job_runs_itself_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Plan(Sample.Workflow(
            new TargetJob("model", "Gate") { AlsoConsumes = [new("Train", ["out/train/**"])] })));

        Assert.Contains("runs it itself", error.Message);
    }
}
