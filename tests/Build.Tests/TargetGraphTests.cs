using Pipeline.Engine;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>The pipeline's target graph as Build.cs declares it, read without running anything.</summary>
public sealed class TargetGraphTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public TargetGraphTests() => Directory.CreateDirectory(_root.File(".nuke"));

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("Train", "Setup")]
    [InlineData("ExportOnnx", "Train")]
    [InlineData("Quantize", "ExportOnnx")]
    [InlineData("Validate", "Quantize")]
    [InlineData("Validate", "Prune")]
    [InlineData("Validate", "Distill")]
    [InlineData("Prune", "Train")]
    [InlineData("Distill", "Train")]
    [InlineData("Containerize", "Validate")]
    [InlineData("LoadTest", "Containerize")]
    [InlineData("Deploy", "LoadTest")]
    [InlineData("Test", "Compile")]
    [InlineData("Test", "Setup")]
    public void Stages_depend_on_the_stage_before_them(string target, string dependency)
    {
        var graph = BuildGraph.From<global::Build>(_root.Path);
        Assert.Contains(dependency, graph.GetTarget(target).DependsOn);
    }

    [Fact]
    public void Every_pipeline_stage_exists_and_has_a_description()
    {
        var graph = BuildGraph.From<global::Build>(_root.Path);
        string[] stages = ["Setup", "Compile", "Test", "Train", "ExportOnnx", "Quantize", "Prune", "Distill", "Validate", "Models", "Containerize", "LoadTest", "Deploy", "Rollback", "Clean"];
        foreach (var stage in stages)
            Assert.False(string.IsNullOrWhiteSpace(graph.GetTarget(stage).Description), stage);
        Assert.Equal("Test", graph.DefaultTarget);
    }

    [Fact]
    public void Gate_thresholds_are_parameters_with_the_documented_defaults()
    {
        var graph = BuildGraph.From<global::Build>(_root.Path);
        Assert.Equal(0.88, graph.FindParameter("MinAccuracy")!.DefaultValue);
        Assert.Equal(0.005, graph.FindParameter("MaxRegression")!.DefaultValue);
        Assert.Equal(0.005, graph.FindParameter("MaxQuantizationDrop")!.DefaultValue);
        Assert.Equal("--environment", graph.FindParameter("Environment")!.Option);
    }

    [Theory]
    [InlineData("Deploy")]
    [InlineData("Rollback")]
    public async Task Releases_to_kubernetes_fail_loudly_until_they_land(string target)
    {
        var output = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _root.Path };
        var exitCode = await BuildRunner.RunAsync<global::Build>([target, "--skip", "--environment", "kubernetes"], environment, _root.Path, output);

        Assert.Equal(ExitCodes.BuildFailed, exitCode);
        Assert.Contains($"{target} is not implemented yet (issue #7)", output.ToString());
    }

    [Fact]
    public async Task A_local_rollback_with_no_production_history_says_there_is_nothing_to_roll_back_to()
    {
        var output = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _root.Path };
        var onnxRuntimeDir = Path.GetDirectoryName(Pipeline.OnnxRuntime.OnnxRuntimeLibrary.Load().LibraryPath)!;
        var exitCode = await BuildRunner.RunAsync<global::Build>(
            ["Rollback", "--source-revision", "abc1234", "--onnx-runtime-dir", onnxRuntimeDir], environment, _root.Path, output);

        Assert.Equal(ExitCodes.BuildFailed, exitCode);
        Assert.Contains("has never had a version in production; nothing to roll back to", output.ToString());
    }
}
