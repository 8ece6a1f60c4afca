using System.Text.Json;

namespace Pipeline.Engine.Tests.Incremental;

/// <summary>CodeInputs on a real tree of project files: the ProjectReference closure decides what is stale, derived on every check.</summary>
public sealed class CodeInputsTests : IDisposable
{
    private readonly TestRoot _root = new();
    private readonly EventLog _log = new();

    public CodeInputsTests()
    {
        _root.WriteFile("global.json", """{ "sdk": { "version": "10.0.100" } }""");
        _root.WriteFile("Directory.Build.props", "<Project />");
        _root.WriteFile("src/App/App.csproj", Project(references: ["../Lib/Lib.csproj"], items: """<Compile Include="../Shared/Linked.cs" />"""));
        _root.WriteFile("src/App/Program.cs", "class Program {}");
        _root.WriteFile("src/App/Nested/Deep.cs", "class Deep {}");
        _root.WriteFile("src/App/bin/Release/Generated.cs", "// build output");
        _root.WriteFile("src/App/obj/App.AssemblyInfo.cs", "// build output");
        _root.WriteFile("src/App/README.md", "not compiled");
        _root.WriteFile("src/Shared/Linked.cs", "class Linked {}");
        _root.WriteFile("src/Shared/NotLinked.cs", "class NotLinked {}");
        _root.WriteFile("src/Lib/Lib.csproj", Project(items: """<Protobuf Include="Proto/model.proto" />"""));
        _root.WriteFile("src/Lib/Code.cs", "class Code {}");
        _root.WriteFile("src/Lib/Proto/model.proto", "syntax = \"proto3\";");
        _root.WriteFile("src/Extra/Extra.csproj", Project());
        _root.WriteFile("src/Extra/Extra.cs", "class Extra {}");
        _root.WriteFile("src/Other/Other.csproj", Project());
        _root.WriteFile("src/Other/Other.cs", "class Other {}");
    }

    public void Dispose() => _root.Dispose();

    private static string Project(string[]? references = null, string items = "", string properties = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>{properties}</PropertyGroup>
          <ItemGroup>
            {string.Concat((references ?? []).Select(reference => $"<ProjectReference Include=\"{reference}\" />"))}
            {items}
          </ItemGroup>
        </Project>
        """;

    private Task<BuildRun> RunAsync(params string[] args) => BuildHarness.RunAsync(new CodeInputsBuild(_log), _root, args);

    private async Task<BuildRun> RunAllAsync()
    {
        var run = await RunAsync("Publish", "Lint");
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private string[] RecordedInputs(string target)
    {
        using var json = JsonDocument.Parse(_root.ReadFile($".nuke/temp/fingerprints/{target}.json"));
        return json.RootElement.GetProperty("Inputs").EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>(action, reason) per target as --plan-json reports them.</summary>
    private async Task<Dictionary<string, (string Action, string? Reason)>> PlanAsync(params string[] targets)
    {
        var run = await RunAsync([.. targets, "--plan-json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement.GetProperty("targets").EnumerateArray().ToDictionary(
            target => target.GetProperty("name").GetString()!,
            target => (target.GetProperty("action").GetString()!, target.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task The_inputs_are_the_compiled_sources_and_project_files_of_the_reference_closure()
    {
        await RunAllAsync();

        Assert.Equal(
        [
            "Directory.Build.props", "global.json",
            "src/App/App.csproj", "src/App/Nested/Deep.cs", "src/App/Program.cs",
            "src/Lib/Code.cs", "src/Lib/Lib.csproj", "src/Lib/Proto/model.proto",
            "src/Shared/Linked.cs",
        ], RecordedInputs("Package"));
        Assert.Equal(["Directory.Build.props", "global.json", "src/Other/Other.cs", "src/Other/Other.csproj"], RecordedInputs("Lint"));
    }

    [Fact]
    public async Task A_new_file_in_a_referenced_project_reruns_the_target_and_its_dependants_only()
    {
        await RunAllAsync();
        _root.WriteFile("src/Lib/New.cs", "class New {}");

        var plan = await PlanAsync("Publish", "Lint");
        var run = await RunAllAsync();

        Assert.Equal(("Run", "input src/Lib/New.cs added"), plan["Package"]);
        Assert.Equal(("Run", "dependency Package not up to date"), plan["Publish"]);
        Assert.Equal("UpToDate", plan["Lint"].Action);
        Assert.Equal((TargetStatus.Succeeded, "input src/Lib/New.cs added"), (run.Summary["Package"].Status, run.Summary["Package"].Reason));
        Assert.Equal((TargetStatus.Succeeded, "dependency Package not up to date"), (run.Summary["Publish"].Status, run.Summary["Publish"].Reason));
        Assert.Equal(TargetStatus.UpToDate, run.StatusOf("Lint"));
        Assert.Contains("Running because input src/Lib/New.cs added.", run.Output);
        Assert.Equal((2, 2, 1), (_log.Count("Package"), _log.Count("Publish"), _log.Count("Lint")));

        var third = await RunAllAsync();
        Assert.All(["Package", "Publish", "Lint"], target => Assert.Equal(TargetStatus.UpToDate, third.StatusOf(target)));
    }

    [Theory]
    [InlineData("src/Lib/Code.cs", "input src/Lib/Code.cs changed")]
    [InlineData("src/Lib/Proto/model.proto", "input src/Lib/Proto/model.proto changed")]
    [InlineData("src/Shared/Linked.cs", "input src/Shared/Linked.cs changed")]
    [InlineData("src/App/Nested/Deep.cs", "input src/App/Nested/Deep.cs changed")]
    [InlineData("src/Lib/Lib.csproj", "input src/Lib/Lib.csproj changed")]
    [InlineData("Directory.Build.props", "input Directory.Build.props changed")]
    [InlineData("global.json", "input global.json changed")]
    public async Task Editing_any_file_of_the_closure_makes_the_target_stale(string file, string reason)
    {
        await RunAllAsync();
        File.AppendAllText(_root.PathOf(file), file.EndsWith(".cs", StringComparison.Ordinal) ? "\n// edited\n" : "\n<!-- edited -->\n");

        var plan = await PlanAsync("Package");

        Assert.Equal(("Run", reason), plan["Package"]);
    }

    [Theory]
    [InlineData("src/Other/Other.cs")]
    [InlineData("src/Extra/Extra.cs")]
    [InlineData("src/Shared/NotLinked.cs")]
    [InlineData("src/App/README.md")]
    [InlineData("src/App/obj/App.AssemblyInfo.cs")]
    [InlineData("src/App/bin/Release/Generated.cs")]
    public async Task A_file_outside_the_closure_leaves_the_target_up_to_date(string file)
    {
        await RunAllAsync();
        File.AppendAllText(_root.PathOf(file), "\n// edited\n");

        var run = await RunAsync("Package");

        Assert.Equal(TargetStatus.UpToDate, run.StatusOf("Package"));
    }

    [Fact]
    public async Task A_new_project_reference_brings_its_files_in_without_editing_the_target()
    {
        await RunAllAsync();
        _root.WriteFile("src/Lib/Lib.csproj", Project(references: ["../Extra/Extra.csproj"], items: """<Protobuf Include="Proto/model.proto" />"""));

        var run = await RunAllAsync();
        Assert.Equal((TargetStatus.Succeeded, "input src/Extra/Extra.cs added (and 2 more)"), (run.Summary["Package"].Status, run.Summary["Package"].Reason));
        Assert.Contains("src/Extra/Extra.csproj", RecordedInputs("Package"));

        File.AppendAllText(_root.PathOf("src/Extra/Extra.cs"), "\n// edited\n");
        var plan = await PlanAsync("Package");
        Assert.Equal(("Run", "input src/Extra/Extra.cs changed"), plan["Package"]);
    }

    [Fact]
    public async Task A_project_without_default_items_covers_only_what_it_compiles_not_the_projects_nested_below_it()
    {
        // The stages' layout: a common project at the top of a folder whose sub-folders are projects of their own.
        _root.WriteFile("src/Lib/Lib.csproj", Project(items: """<Compile Include="*.cs" />""", properties: "<EnableDefaultItems>false</EnableDefaultItems>"));
        _root.WriteFile("src/Lib/Stage/Stage.csproj", Project());
        _root.WriteFile("src/Lib/Stage/StageCode.cs", "class StageCode {}");
        await RunAllAsync();

        Assert.DoesNotContain(RecordedInputs("Package"), input => input.StartsWith("src/Lib/Stage/", StringComparison.Ordinal));
        Assert.Contains("src/Lib/Code.cs", RecordedInputs("Package"));
        File.AppendAllText(_root.PathOf("src/Lib/Stage/StageCode.cs"), "\n// edited\n");
        Assert.Equal(TargetStatus.UpToDate, (await RunAsync("Package")).StatusOf("Package"));
    }

    [Fact]
    public async Task A_missing_reference_fails_before_anything_runs_naming_the_project_that_references_it()
    {
        _root.WriteFile("src/Lib/Lib.csproj", Project(references: ["../Gone/Gone.csproj"]));

        var run = await RunAsync("Package", "Lint");
        var plan = await PlanAsync("Package", "Lint");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("src/Gone/Gone.csproj", run.Output);
        Assert.Contains("a ProjectReference of src/Lib/Lib.csproj", run.Output);
        Assert.Equal((0, 0), (_log.Count("Package"), _log.Count("Lint")));
        Assert.Equal("Run", plan["Package"].Action);
        Assert.Contains("src/Gone/Gone.csproj, named in a ProjectReference of src/Lib/Lib.csproj, does not exist", plan["Package"].Reason);
    }

    [Fact]
    public async Task An_include_that_needs_msbuild_evaluation_is_an_error_not_a_silent_gap()
    {
        _root.WriteFile("src/Lib/Lib.csproj", Project(items: """<Compile Include="$(SharedDir)/Code.cs" />"""));

        var run = await RunAsync("Package");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("$(SharedDir)/Code.cs", run.Output);
        Assert.Contains("write the path relative to the project file", run.Output);
    }
}
