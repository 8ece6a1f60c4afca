namespace Pipeline.Engine;

/// <summary>What a build instance knows about the run it is part of.</summary>
internal sealed record BuildEnvironment(AbsolutePath RootDirectory, IReadOnlyDictionary<string, string> Variables)
{
    public bool IsGitHubActions => IsTrue("GITHUB_ACTIONS");

    public bool IsServerBuild => IsGitHubActions || IsTrue("CI");

    private bool IsTrue(string name) =>
        Variables.TryGetValue(name, out var value) &&
        (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
