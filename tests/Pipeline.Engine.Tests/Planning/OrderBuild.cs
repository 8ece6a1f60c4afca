namespace Pipeline.Engine.Tests.Planning;

/// <summary>Every ordering relation; each target records that it ran.</summary>
public sealed class OrderBuild(EventLog log) : BuildDefinition
{
    Target Clean => _ => _.Before(Restore).Executes(() => log.Add(nameof(Clean)));
    Target Restore => _ => _.Executes(() => log.Add(nameof(Restore)));
    Target Compile => _ => _.DependsOn(Restore).Executes(() => log.Add(nameof(Compile)));
    Target Lint => _ => _.After(Compile).Executes(() => log.Add(nameof(Lint)));
    Target Test => _ => _.DependsOn(Compile).Triggers(Report).Executes(() => log.Add(nameof(Test)));
    Target Report => _ => _.Executes(() => log.Add(nameof(Report)));
    Target Pack => _ => _.DependsOn(Test).After(Lint).Executes(() => log.Add(nameof(Pack)));
}
