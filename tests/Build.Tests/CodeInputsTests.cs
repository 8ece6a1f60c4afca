using System.Text.RegularExpressions;
using Pipeline.Engine;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>
/// The incremental targets' code inputs against the real repository: every source file their stage runs is an input
/// (so editing it reruns the target), and another stage's files are not (so editing them leaves it up to date).
/// </summary>
public sealed class CodeInputsTests
{
    private static readonly string Root = RepositoryRoot.Find();
    private static readonly BuildGraph Graph = BuildGraph.From<global::Build>(Root);

    private static HashSet<string> InputsOf(string target) =>
        ProjectClosure.Files(Graph.GetTarget(target), AbsolutePath.Create(Root)).Select(file => file.RelativeTo(AbsolutePath.Create(Root))).ToHashSet();

    /// <summary>The .cs files the SDK compiles in a project folder: everything below it but its own bin/ and obj/.</summary>
    // C# and the protobuf definitions compiled at build time (Serving.Protocol holds only a .proto).
    private static IEnumerable<string> SourcesIn(string folder) =>
        new[] { "*.cs", "*.proto" }.SelectMany(pattern => Directory.EnumerateFiles(Path.Combine(Root, folder), pattern, SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(Root, file).Replace('\\', '/'))
            .Where(file => !Regex.IsMatch(file[(folder.Length + 1)..], "^(bin|obj)/"));

    /// <summary>Project folders reachable by ProjectReference, read here with a regex, independently of the engine.</summary>
    private static IEnumerable<string> ReferenceClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
                continue;
            var directory = Path.GetDirectoryName(next)!;
            foreach (Match match in Regex.Matches(File.ReadAllText(Path.Combine(Root, next)), "<ProjectReference Include=\"([^\"]+)\""))
                pending.Push(Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(Root, directory, match.Groups[1].Value))).Replace('\\', '/'));
        }

        return seen.Select(path => Path.GetDirectoryName(path)!.Replace('\\', '/'));
    }

    public static TheoryData<string, string> StageProjects => new()
    {
        { "Train", "pipeline/Pipeline.Stages/Train/Pipeline.Stages.Train.csproj" },
        { "ExportOnnx", "pipeline/Pipeline.Stages/Export/Pipeline.Stages.Export.csproj" },
        { "Quantize", "pipeline/Pipeline.Stages/Quantize/Pipeline.Stages.Quantize.csproj" },
        { "Prune", "pipeline/Pipeline.Stages/Compress/Pipeline.Stages.Compress.csproj" },
        { "Distill", "pipeline/Pipeline.Stages/Compress/Pipeline.Stages.Compress.csproj" },
        { "Validate", "pipeline/Pipeline.Stages/Validate/Pipeline.Stages.Validate.csproj" },
        { "PublishServer", "serving/Serving.Server/Serving.Server.csproj" },
    };

    [Theory]
    [MemberData(nameof(StageProjects))]
    public void Every_source_of_the_stage_and_of_its_referenced_projects_is_an_input(string target, string stageProject)
    {
        var inputs = InputsOf(target);

        Assert.Equal([stageProject], Graph.GetTarget(target).CodeInputs);
        foreach (var folder in ReferenceClosure(stageProject).Where(folder => folder != "pipeline/Pipeline.Stages"))
        {
            var sources = SourcesIn(folder).ToArray();
            Assert.NotEmpty(sources);
            Assert.All(sources, source => Assert.Contains(source, inputs));
        }

        if (stageProject.StartsWith("pipeline/Pipeline.Stages/", StringComparison.Ordinal))
            Assert.Contains("pipeline/Pipeline.Stages/StageJson.cs", inputs);
        Assert.Contains("Directory.Build.props", inputs);
        Assert.Contains("Directory.Packages.props", inputs);
        Assert.Contains("global.json", inputs);
    }

    // The gaps of the hand-written lists this replaces (issue #12, section 2), and what a stage must not pull in.
    [Theory]
    [InlineData("ExportOnnx", "pipeline/Pipeline.Stages/Export/CheckedOnnxExport.cs", true)]
    [InlineData("ExportOnnx", "pipeline/Pipeline.OnnxRuntime/InferenceSession.cs", true)]
    [InlineData("ExportOnnx", "pipeline/Pipeline.Onnx/Proto/onnx.proto", true)]
    [InlineData("Quantize", "pipeline/Pipeline.Onnx/OnnxModelBuilder.cs", true)]
    [InlineData("Quantize", "pipeline/Pipeline.Gates/Pipeline.Gates.csproj", true)]
    [InlineData("Prune", "training/Training.Export/Training.Export.csproj", true)]
    [InlineData("Distill", "pipeline/Pipeline.Stages/Export/CheckedOnnxExport.cs", true)]
    [InlineData("Validate", "pipeline/Pipeline.Gates/Evaluation/CpuFeatures.cs", true)]
    [InlineData("Validate", "pipeline/Pipeline.Stages/Deploy/LocalDeployer.cs", false)]
    [InlineData("PublishServer", "pipeline/Pipeline.Stages/Deploy/LocalDeployer.cs", false)]
    [InlineData("Train", "pipeline/Pipeline.Stages/Deploy/LocalDeployer.cs", false)]
    [InlineData("Train", "pipeline/Pipeline.Stages/Export/CheckedOnnxExport.cs", false)]
    [InlineData("Train", "pipeline/Pipeline.Onnx/OnnxModelBuilder.cs", false)]
    [InlineData("ExportOnnx", "pipeline/Pipeline.Stages/Quantize/QuantizeStage.cs", false)]
    [InlineData("ExportOnnx", "pipeline/Pipeline.Stages/Deploy/LocalDeployer.cs", false)]
    [InlineData("Quantize", "pipeline/Pipeline.Stages/Compress/PruneStage.cs", false)]
    public void A_file_is_an_input_exactly_when_the_stage_compiles_it(string target, string file, bool isInput)
    {
        Assert.True(File.Exists(Path.Combine(Root, file)), $"{file} no longer exists; update this test");
        Assert.Equal(isInput, InputsOf(target).Contains(file));
    }
}
