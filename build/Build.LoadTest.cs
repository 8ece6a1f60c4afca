using Pipeline.Engine;

/// <summary>The load-test gate (issue #6).</summary>
sealed partial class Build
{
    Target LoadTest => _ => _
        .Description("Load-tests the container with an open-model generator and checks the latency and error thresholds")
        .DependsOn(Containerize)
        .Executes(() => NotImplementedYet(nameof(LoadTest), 6));
}
