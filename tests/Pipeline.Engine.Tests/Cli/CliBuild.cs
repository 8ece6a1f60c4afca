namespace Pipeline.Engine.Tests.Cli;

public sealed class CliBuild : BuildDefinition
{
    [Parameter("Random seed for splits")] public readonly int Seed = 42;
    [Parameter("Registry password"), Secret] public readonly string? RegistryPassword;
    [Parameter("Load thresholds")] public readonly string[] LoadThresholds = ["p95<100"];

    public bool IsMain { get; init; }

    public override Target? DefaultTarget => Test;

    Target Restore => _ => _.Description("Restore packages").Executes(() => { });
    Target Compile => _ => _.Description("Compile the solution").DependsOn(Restore).Produces("bin/**").Executes(() => { });
    Target Test => _ => _.Description("Run the tests").DependsOn(Compile).Consumes(Compile).Inputs(() => Seed).Outputs("out/tests.xml")
        .Executes(() => Directory.CreateDirectory(RootDirectory / "out")).Executes(() => File.WriteAllText(RootDirectory / "out" / "tests.xml", "ok"));
    Target Deploy => _ => _.Description("Roll out").DependsOn(Test).OnlyWhenStatic(() => IsMain).Executes(() => { });
    Target Smoke => _ => _.After(Deploy).OnlyWhenDynamic(() => IsMain).Executes(() => { });
}

public sealed class NoDefaultBuild : BuildDefinition
{
    Target Only => _ => _.Description("The only target").Executes(() => { });
}
