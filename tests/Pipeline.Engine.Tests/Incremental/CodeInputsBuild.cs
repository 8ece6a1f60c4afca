namespace Pipeline.Engine.Tests.Incremental;

/// <summary>
/// Package builds from the code of src/App/App.csproj and its references; Publish depends on it and declares no code of
/// its own; Lint builds from src/Other/Other.csproj. Each writes one output and counts its runs.
/// </summary>
public sealed class CodeInputsBuild(EventLog log) : BuildDefinition
{
    [Parameter] public readonly string Channel = "stable";

    Target Package => _ => _
        .CodeInputs("src/App/App.csproj")
        .Outputs("out/package.txt")
        .Executes(() => Write(nameof(Package)));

    Target Publish => _ => _
        .DependsOn(Package)
        .Inputs(() => Channel)
        .Outputs("out/publish.txt")
        .Executes(() => Write(nameof(Publish)));

    Target Lint => _ => _
        .CodeInputs("src/Other/Other.csproj")
        .Outputs("out/lint.txt")
        .Executes(() => Write(nameof(Lint)));

    private void Write(string target)
    {
        log.Add(target);
        Directory.CreateDirectory(RootDirectory / "out");
        File.WriteAllText(RootDirectory / "out" / $"{target.ToLowerInvariant()}.txt", target);
    }
}
