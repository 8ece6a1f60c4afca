namespace Pipeline.Engine.Tests.Definition;

/// <summary>Reflection wiring must fail loudly, before any target runs, naming the member and the fix.</summary>
public sealed class DefinitionErrorTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private async Task<string> ExpectConfigurationErrorAsync(BuildDefinition build, params string[] args)
    {
        var run = await BuildHarness.RunAsync(build, _root, args);
        Assert.True(run.ExitCode == ExitCodes.InvalidConfiguration, run.ToString());
        Assert.Null(run.Result.Summary);
        return string.Join("\n", run.Result.Errors);
    }

    private sealed class UnsupportedParameterBuild(EventLog log) : BuildDefinition
    {
        [Parameter] readonly List<string> Items = [];
        Target Run => _ => _.Executes(() => log.Add("Run"));
    }

    [Fact]
    public async Task Parameter_of_unsupported_type()
    {
        var log = new EventLog();
        var error = await ExpectConfigurationErrorAsync(new UnsupportedParameterBuild(log), "Run");

        Assert.Contains("Parameter UnsupportedParameterBuild.Items has unsupported type List<String>. Supported: string, int, long, double, bool, enums, AbsolutePath", error);
        Assert.Empty(log.Events);
    }

    private sealed class StaticParameterBuild : BuildDefinition
    {
        [Parameter] static readonly int Level = 1;
        Target Run => _ => _.Executes(() => Assert.Equal(1, Level));
    }

    [Fact]
    public async Task Static_parameter()
    {
        var error = await ExpectConfigurationErrorAsync(new StaticParameterBuild(), "Run");

        Assert.Contains("Parameter StaticParameterBuild.Level is static", error);
    }

    private sealed class ComputedParameterBuild : BuildDefinition
    {
        [Parameter] int Level => 3;
        Target Run => _ => _.Executes(() => Assert.Equal(3, Level));
    }

    [Fact]
    public async Task Parameter_property_that_cannot_be_set()
    {
        var error = await ExpectConfigurationErrorAsync(new ComputedParameterBuild(), "Run");

        Assert.Contains("Parameter ComputedParameterBuild.Level must be readable and settable", error);
    }

    private sealed class BuiltInNameBuild : BuildDefinition
    {
        [Parameter] readonly bool Force;
        [Parameter] readonly string? Path;
        Target Run => _ => _.Executes(() => { });
    }

    [Fact]
    public async Task Parameter_names_that_clash_with_built_in_options_or_system_variables()
    {
        var error = await ExpectConfigurationErrorAsync(new BuiltInNameBuild(), "Run");

        Assert.Contains("Parameter Force conflicts with the built-in option --force", error);
        Assert.Contains("Parameter Path would read environment variable PATH", error);
    }

    private sealed class NullTargetBuild : BuildDefinition
    {
        Target Broken => null!;
    }

    [Fact]
    public async Task Target_property_returning_null()
    {
        var error = await ExpectConfigurationErrorAsync(new NullTargetBuild(), "Broken");

        Assert.Contains("Target property Broken returned null", error);
    }

    private sealed class ThrowingDefinitionBuild : BuildDefinition
    {
        Target Broken => _ => throw new InvalidOperationException("no registry configured");
        Target Fine => _ => _.Executes(() => { });
    }

    [Fact]
    public async Task Target_definition_that_throws()
    {
        var error = await ExpectConfigurationErrorAsync(new ThrowingDefinitionBuild(), "Fine");

        Assert.Contains("Defining target Broken threw InvalidOperationException: no registry configured", error);
    }

    private sealed class ThrowingPropertyBuild : BuildDefinition
    {
        Target Broken => throw new NotSupportedException("getter failed");
    }

    [Fact]
    public async Task Target_property_getter_that_throws()
    {
        var error = await ExpectConfigurationErrorAsync(new ThrowingPropertyBuild(), "Broken");

        Assert.Contains("Reading target property Broken threw NotSupportedException: getter failed", error);
    }

    private sealed class MisdeclaredTargetsBuild : BuildDefinition
    {
        static Target Shared => _ => _.Executes(() => { });
        readonly Target Field = _ => _.Executes(() => { });
        Target Run => _ => _.Executes(() => { });
    }

    [Fact]
    public async Task Static_target_properties_and_target_fields_are_not_silently_ignored()
    {
        var error = await ExpectConfigurationErrorAsync(new MisdeclaredTargetsBuild(), "Run");

        Assert.Contains("Target property Shared is static; declare targets as instance properties", error);
        Assert.Contains("Target Field is a field; declare it as a property: `Target Field => _ => ...`.", error);
    }

    private sealed class DuplicateNameBuild : BuildDefinition
    {
        Target Train => _ => _.Executes(() => { });
        Target train => _ => _.Executes(() => { });
    }

    [Fact]
    public async Task Target_names_differing_only_in_case()
    {
        var error = await ExpectConfigurationErrorAsync(new DuplicateNameBuild(), "Train");

        Assert.Contains("Duplicate target name 'Train': Train, train (target names are case-insensitive)", error);
    }

    private sealed class AliasBuild : BuildDefinition
    {
        Target Compile => _ => _.Executes(() => { });
        Target Build => Compile;
    }

    [Fact]
    public async Task Two_properties_returning_the_same_target()
    {
        var error = await ExpectConfigurationErrorAsync(new AliasBuild(), "Compile");

        Assert.Contains("Target properties Compile and Build return the same target", error);
    }

    private sealed class ExpressionBuild : BuildDefinition
    {
        [Parameter] readonly int Seed = 1;
        Target Requires => _ => _.Requires(() => Seed > 0).Executes(() => { });
        Target Inputs => _ => _.Inputs(() => System.IO.Path.Combine("a", "b")).Outputs("x").Executes(() => { });
    }

    [Fact]
    public async Task Requires_and_Inputs_expressions_that_are_not_member_accesses()
    {
        var error = await ExpectConfigurationErrorAsync(new ExpressionBuild(), "Requires");

        Assert.Contains("Target Requires: Requires(() => Convert((this.Seed > 0), Object)) must name a field or property of the build directly, e.g. Requires(() => Seed).", error);
        Assert.Contains("Target Inputs: Inputs(", error);
        Assert.Contains("must name a field or property of the build directly", error);
    }

    private sealed class ForeignReferenceBuild : BuildDefinition
    {
        Target Run => _ => _.DependsOn(other => other).Executes(() => { });
    }

    [Fact]
    public async Task Reference_to_a_target_that_is_not_a_property()
    {
        var error = await ExpectConfigurationErrorAsync(new ForeignReferenceBuild(), "Run");

        Assert.Contains("Target Run: DependsOn(...) refers to a target that is not a Target property of ForeignReferenceBuild.", error);
    }

    private sealed class ConsumesWithoutProducesBuild : BuildDefinition
    {
        Target Compile => _ => _.Executes(() => { });
        Target Test => _ => _.Consumes(Compile).Executes(() => { });
    }

    [Fact]
    public async Task Consuming_artifacts_from_a_target_that_produces_none()
    {
        var error = await ExpectConfigurationErrorAsync(new ConsumesWithoutProducesBuild(), "Test");

        Assert.Contains("Target Test consumes artifacts of Compile, which declares none; add .Produces(...) to Compile.", error);
    }

    private sealed class RequirementBuild(EventLog log) : BuildDefinition
    {
        [Parameter] readonly string? RegistryUrl;
        Target Build => _ => _.Executes(() => log.Add(nameof(Build)));
        Target Push => _ => _.DependsOn(Build).Requires(() => RegistryUrl).Executes(() => log.Add(nameof(Push)));
    }

    [Fact]
    public async Task Missing_requirement_fails_before_any_target_runs()
    {
        var log = new EventLog();

        var error = await ExpectConfigurationErrorAsync(new RequirementBuild(log), "Push");

        Assert.Equal("Target Push requires parameter RegistryUrl, but it has no value. Pass --registry-url <string>, set REGISTRY_URL, or add \"RegistryUrl\" to .nuke/parameters.json.", error);
        Assert.Empty(log.Events);
    }

    [Fact]
    public async Task A_requirement_met_through_the_environment_lets_the_build_run()
    {
        var log = new EventLog();

        var run = await BuildHarness.RunAsync(new RequirementBuild(log), _root, new Dictionary<string, string> { ["REGISTRY_URL"] = "localhost:5000" }, "Push");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Build", "Push"], log.Events);
    }

    private sealed class ThrowingConstructorBuild : BuildDefinition
    {
        public ThrowingConstructorBuild() => throw new InvalidOperationException("constructor failed");
        Target Run => _ => _.Executes(() => { });
    }

    [Fact]
    public async Task Build_whose_constructor_throws_fails_with_an_exit_code_not_an_exception()
    {
        var output = new StringWriter();

        var exitCode = await BuildRunner.RunAsync<ThrowingConstructorBuild>(["Run"], new Dictionary<string, string>(), _root.Directory, output);

        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Contains("Creating the build failed: InvalidOperationException: constructor failed", output.ToString());
    }

    [Fact]
    public async Task All_definition_errors_are_reported_together()
    {
        var error = await ExpectConfigurationErrorAsync(new BuiltInNameBuild(), "Run");

        Assert.Equal(2, error.Split('\n').Length);
    }
}
