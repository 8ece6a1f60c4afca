using Pipeline.GitHubActions.Generation;

namespace Pipeline.GitHubActions.Tests;

/// <summary>The root actions/upload-artifact stores files under, which is where the download must put them back.</summary>
public sealed class ArtifactLayoutTests
{
    [Theory]
    [InlineData("artifacts/container", "artifacts/container/image.json")]
    [InlineData("artifacts/gates", "artifacts/gates/**")]
    [InlineData("artifacts/model", "artifacts/model/model.int8*.onnx")]
    [InlineData("artifacts", "artifacts/gates/**", "artifacts/model/model.onnx")]
    [InlineData("artifacts", "artifacts/gates/**", "artifacts/train/**", "!artifacts/train/tmp/**")]
    [InlineData("artifacts/gates", "artifacts/gates/**", "artifacts/gates/sub/*.json")]
    [InlineData("artifacts/gates", "artifacts/gates/release.json", "artifacts/gates/release.json")]
    [InlineData(".", "a/x.json", "b/y.json")]
    [InlineData("out", "./out/a/*.txt", "out/b/c.txt")]
    public void Root_is_the_common_ancestor_of_the_search_paths(string expected, params string[] patterns) =>
        Assert.Equal(expected, ArtifactLayout.Root(patterns));

    [Fact]
    public void Only_exclusions_is_refused() =>
        Assert.Throws<ArgumentException>(() => ArtifactLayout.Root(["!artifacts/**"]));
}
