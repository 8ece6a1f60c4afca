using Pipeline.Stages;

namespace Pipeline.Stages.Tests;

/// <summary>When a passing load test is reused: the same image, load and settings, or the candidate already serving.</summary>
public sealed class LoadTestVerdictTests
{
    private static readonly ContainerImage Image = new("registry/fashion-mnist-serving:1.0.4-abc", [], "sha256:image", "base", 1, null, 1, 1, 0);
    private static readonly ReleaseManifest Release = new("fashion-mnist", "1.0.4+abc", new string('a', 64), "int8", "/m.onnx", "abc");
    private static readonly LoadTestRequest Request = new(Image, Release, ModelSource.FashionMnist("/data"), "/out", LoadProfile.Default, ["p99<50ms", "error_rate<0.001"])
    {
        RelativeThresholds = ["p99<=1.2x"],
    };

    // Measured side by side against production 1.0.3 while 1.0.4 was the candidate.
    private static readonly LoadTestVerdict AgainstPrevious = Verdict(Request with { Baseline = new LoadTestBaseline("1.0.3+abc", "registry/x:1.0.3", "/p.onnx") });

    [Fact]
    public void A_verdict_against_another_production_version_is_not_reused_for_a_candidate_that_is_not_serving()
    {
        Assert.True(AgainstPrevious.PassedFor(Request with { Baseline = new LoadTestBaseline("1.0.3+abc", "registry/x:1.0.3", "/p.onnx") }));
        Assert.False(AgainstPrevious.PassedFor(Request with { Baseline = new LoadTestBaseline("1.0.2+abc", "registry/x:1.0.2", "/p.onnx") }));
        Assert.False(AgainstPrevious.PassedFor(Request));
    }

    [Fact]
    public void Once_the_candidate_serves_its_passing_verdict_is_reused_whatever_it_was_compared_with_but_not_with_other_absolute_thresholds()
    {
        // The second Deploy in a row: 1.0.4 is production now, so there is no baseline and the settings differ.
        var serving = Request with { CandidateServing = true };

        Assert.True(AgainstPrevious.PassedFor(serving));
        Assert.False(AgainstPrevious.PassedFor(serving with { Thresholds = ["p99<20ms", "error_rate<0.001"] }));
        Assert.False(AgainstPrevious.PassedFor(serving with { Image = Image with { ImageId = "sha256:other" } }));
        Assert.False((AgainstPrevious with { Passed = false }).PassedFor(serving));
    }

    private static LoadTestVerdict Verdict(LoadTestRequest request) => new(request.Image.ImageId, request.Image.Reference, request.Release.Version,
        LoadTestVerdict.Settings(request), LoadTestVerdict.Describe(request.Profile), true, DateTimeOffset.UnixEpoch, 100, 500, 5, 0, 10, 1);
}
