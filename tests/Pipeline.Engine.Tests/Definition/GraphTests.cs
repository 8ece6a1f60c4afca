namespace Pipeline.Engine.Tests.Definition;

public sealed class GraphTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private sealed class SampleBuild : BuildDefinition
    {
        [Parameter("Random seed")] readonly int Seed = 42;
        [Parameter("Registry password"), Secret] readonly string? RegistryPassword = "hunter2";
        [Parameter("Thresholds")] readonly string[] LoadThresholds = ["p95<100"];

        public override Target? DefaultTarget => Test;

        Target Restore => _ => _.Description("Restore packages").Executes(() => { });

        Target Compile => _ => _
            .DependsOn(Restore)
            .Produces("bin/**")
            .Executes(() => { });

        Target Test => _ => _
            .DependsOn(Compile)
            .Consumes(Compile, "bin/*.dll")
            .Inputs("src/**/*.cs")
            .Inputs(() => Seed)
            .Outputs("out/results.xml")
            .Requires(() => RegistryPassword)
            .OnlyWhenStatic(() => Seed > 0)
            .OnlyWhenDynamic(() => LoadThresholds.Length > 0)
            .ProceedAfterFailure()
            .Executes(() => { });

        Target Pack => _ => _
            .DependentFor(Publish)
            .TriggeredBy(Compile)
            .After(Test)
            .Before(Publish)
            .AssuredAfterFailure()
            .Executes(() => { });

        private Target Publish => _ => _.Executes(() => { });
    }

    [Fact]
    public void Targets_are_listed_in_declaration_order_with_their_relations()
    {
        var graph = BuildGraph.From(new SampleBuild(), _root.Directory);

        Assert.Equal(["Restore", "Compile", "Test", "Pack", "Publish"], graph.Targets.Select(t => t.Name));
        Assert.Equal("Test", graph.DefaultTarget);
        Assert.True(graph.GetTarget("test").IsDefault);
        Assert.Equal("Restore packages", graph.GetTarget("Restore").Description);
        Assert.Equal(["Restore"], graph.GetTarget("Compile").DependsOn);
        Assert.Equal(["bin/**"], graph.GetTarget("Compile").Produces);
        var test = graph.GetTarget("Test");
        Assert.Equal(["Compile"], test.DependsOn);
        Assert.Equal("Compile", test.Consumes.Single().Target);
        Assert.Equal(["bin/*.dll"], test.Consumes.Single().Patterns);
        Assert.Equal(["src/**/*.cs"], test.Inputs);
        Assert.Equal(["Seed"], test.ParameterInputs);
        Assert.Equal(["out/results.xml"], test.Outputs);
        Assert.Equal(["RegistryPassword"], test.Requires);
        Assert.Equal(["Seed > 0"], test.StaticConditions);
        Assert.Equal(["LoadThresholds.Length > 0"], test.DynamicConditions);
        Assert.True(test.ProceedAfterFailure);
        Assert.True(test.IsIncremental);
        Assert.False(graph.GetTarget("Compile").IsIncremental);
    }

    [Fact]
    public void Inverse_declarations_are_folded_into_the_other_target()
    {
        var graph = BuildGraph.From(new SampleBuild(), _root.Directory);

        var pack = graph.GetTarget("Pack");
        Assert.Equal(["Pack"], graph.GetTarget("Publish").DependsOn);
        Assert.Equal(["Pack"], graph.GetTarget("Compile").Triggers);
        Assert.Equal(["Test"], pack.After);
        Assert.Equal(["Publish"], pack.Before);
        Assert.True(pack.AssuredAfterFailure);
    }

    [Fact]
    public void Parameters_are_described_with_every_name_and_a_masked_secret_default()
    {
        var graph = BuildGraph.From(new SampleBuild(), _root.Directory);

        var seed = graph.FindParameter("seed")!;
        Assert.Equal(("Seed", "seed", "--seed", "SEED", "int", 42), (seed.Name, seed.KebabName, seed.Option, seed.EnvironmentVariable, seed.TypeName, seed.DefaultValue));
        Assert.Equal("Random seed", seed.Description);
        var password = graph.FindParameter("RegistryPassword")!;
        Assert.Equal(("--registry-password", "REGISTRY_PASSWORD", true), (password.Option, password.EnvironmentVariable, password.IsSecret));
        Assert.Equal("*****", password.DisplayDefault);
        var thresholds = graph.FindParameter("--load-thresholds")!;
        Assert.Equal(("string[]", true, "p95<100"), (thresholds.TypeName, thresholds.IsArray, thresholds.DisplayDefault));
    }

    [Fact]
    public void Unknown_target_names_fail_with_the_closest_name()
    {
        var graph = BuildGraph.From(new SampleBuild(), _root.Directory);

        var error = Assert.Throws<BuildConfigurationException>(() => graph.GetTarget("Tset"));

        Assert.Equal("Unknown target 'Tset'. Did you mean 'Test'?", error.Message);
    }

    private sealed class DerivedBuild : BaseBuild
    {
        Target Deploy => _ => _.DependsOn(Compile).Executes(() => { });
    }

    private abstract class BaseBuild : BuildDefinition
    {
        protected Target Compile => _ => _.Executes(() => { });
    }

    [Fact]
    public void Targets_of_base_classes_come_first_and_can_be_referenced()
    {
        var graph = BuildGraph.From(new DerivedBuild(), _root.Directory);

        Assert.Equal(["Compile", "Deploy"], graph.Targets.Select(t => t.Name));
        Assert.Equal(["Compile"], graph.GetTarget("Deploy").DependsOn);
    }
}
