using TestSupport;

namespace Pipeline.GitHubActions.Tests;

public sealed class WorkflowFileTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_file_starts_by_saying_it_is_generated_and_how_to_regenerate_it()
    {
        var file = Assert.Single(WorkflowFile.Generate(SampleBuild.Graph(_root.Path), [Sample.Pipeline()], "./build.sh GenerateWorkflows"));

        Assert.Equal(".github/workflows/sample.yml", file.RelativePath);
        Assert.StartsWith("# Generated from the build's target graph by `./build.sh GenerateWorkflows`. Do not edit", file.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(" \n", file.Content, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', file.Content);
    }

    [Fact]
    public async Task Writing_creates_then_updates_only_what_changed()
    {
        var graph = SampleBuild.Graph(_root.Path);
        var log = new List<string>();
        var first = WorkflowFile.Generate(graph, [Sample.Pipeline()], "regen");

        await WorkflowFile.WriteAllAsync(first, _root.Path, log.Add, CancellationToken.None);
        await WorkflowFile.WriteAllAsync(first, _root.Path, log.Add, CancellationToken.None);
        var second = WorkflowFile.Generate(graph, [Sample.Pipeline() with { Name = "Renamed" }], "regen");
        await WorkflowFile.WriteAllAsync(second, _root.Path, log.Add, CancellationToken.None);

        Assert.Equal(["created .github/workflows/sample.yml", ".github/workflows/sample.yml is up to date", "updated .github/workflows/sample.yml"], log);
        Assert.Equal(second[0].Content, await File.ReadAllTextAsync(_root.File(".github/workflows/sample.yml")));
        Assert.Equal([_root.File(".github/workflows/sample.yml")], Directory.GetFiles(_root.File(".github/workflows")));
    }

    [Fact]
    public void Two_workflows_with_one_file_name_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            WorkflowFile.Generate(SampleBuild.Graph(_root.Path), [Sample.Pipeline(), Sample.Pipeline()], "regen"));

        Assert.Contains("sample.yml", error.Message);
    }
}
