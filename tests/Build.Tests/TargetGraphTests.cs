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
    [InlineData("Containerize", "PublishServer")]
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
        string[] stages = ["Setup", "Compile", "Test", "Train", "ExportOnnx", "Quantize", "Prune", "Distill", "Validate", "Models", "PublishServer", "Containerize", "LoadTest", "Deploy", "Rollback", "Monitor", "Clean"];
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
        Assert.Equal(9090, graph.FindParameter("PrometheusPort")!.DefaultValue);
        Assert.Equal("--prometheus-port", graph.FindParameter("PrometheusPort")!.Option);
    }

    [Theory]
    [InlineData("Deploy")]
    [InlineData("Rollback")]
    public async Task Releases_to_kubernetes_without_a_reachable_cluster_fail_and_say_which_configuration(string target)
    {
        var output = new StringWriter();
        var missing = _root.File("no-such-kubeconfig");
        var environment = new Dictionary<string, string> { ["HOME"] = _root.Path };
        Directory.CreateDirectory(_root.File("artifacts/gates"));
        Directory.CreateDirectory(_root.File("artifacts/container"));
        await File.WriteAllTextAsync(_root.File("artifacts/gates/release.json"),
            """{"modelName":"fashion-mnist","version":"1.0.1+abc1234","sha256":"0000000000000000000000000000000000000000000000000000000000000000","candidate":"fp32","modelPath":"/none","sourceRevision":"abc1234"}""");
        await File.WriteAllTextAsync(_root.File("artifacts/container/image.json"),
            """{"reference":"127.0.0.1:5000/fashion-mnist-serving:1.0.1-abc1234","tags":[],"imageId":"sha256:0","baseImage":"b","sizeBytes":1,"pushedDigest":null,"idleMemoryBytes":0,"smokeSamples":0,"smokeMaxDifference":0}""");

        var exitCode = await BuildRunner.RunAsync<global::Build>(
            [target, "--skip", "--environment", "kubernetes", "--kubeconfig", missing, "--source-revision", "abc1234"], environment, _root.Path, output);

        Assert.Equal(ExitCodes.BuildFailed, exitCode);
        Assert.Contains($"The kubeconfig file '{missing}' does not exist", output.ToString());
        Assert.DoesNotContain("not implemented", output.ToString());
    }

    [Fact]
    public async Task A_KUBECONFIG_list_is_merged_as_kubectl_merges_it_not_taken_for_one_file_name()
    {
        var output = new StringWriter();
        var list = string.Join(Path.PathSeparator, _root.File("missing-a"), _root.File("missing-b"));
        var environment = new Dictionary<string, string> { ["HOME"] = _root.Path, ["KUBECONFIG"] = list };

        var exitCode = await BuildRunner.RunAsync<global::Build>(
            ["Rollback", "--environment", "kubernetes", "--source-revision", "abc1234"], environment, _root.Path, output);

        Assert.Equal(ExitCodes.BuildFailed, exitCode);
        // Missing files in the list are skipped, as kubectl skips them; none is left, and nothing else is configured.
        Assert.Contains("No Kubernetes configuration found", output.ToString());
        Assert.DoesNotContain($"'{list}' does not exist", output.ToString());
    }

    [Fact]
    public async Task A_local_rollback_with_no_production_history_says_there_is_nothing_to_roll_back_to()
    {
        var output = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _root.Path };
        var exitCode = await BuildRunner.RunAsync<global::Build>(
            ["Rollback", "--source-revision", "abc1234"], environment, _root.Path, output);

        Assert.Equal(ExitCodes.BuildFailed, exitCode);
        Assert.Contains("has never had a version in production; nothing to roll back to", output.ToString());
    }

    [Fact]
    public async Task Monitor_without_a_prometheus_says_to_deploy_first()
    {
        var output = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _root.Path };
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on

        var exitCode = await BuildRunner.RunAsync<global::Build>(["Monitor", "--prometheus-port", port.ToString()], environment, _root.Path, output);

        Assert.Equal(ExitCodes.BuildFailed, exitCode);
        Assert.Contains($"No Prometheus answers on 127.0.0.1:{port}", output.ToString());
        Assert.Contains("run ./build.sh Deploy first", output.ToString());
    }
}
