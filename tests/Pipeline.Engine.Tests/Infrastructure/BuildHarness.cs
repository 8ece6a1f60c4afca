namespace Pipeline.Engine.Tests;

/// <summary>Runs builds in-process with an explicit environment, root and captured output, never the process's own.</summary>
public static class BuildHarness
{
    public static Task<BuildRun> RunAsync(BuildDefinition build, TestRoot root, params string[] args) =>
        RunAsync(build, root, new Dictionary<string, string>(), CancellationToken.None, args);

    public static Task<BuildRun> RunAsync(BuildDefinition build, TestRoot root, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(build, root, environment, CancellationToken.None, args);

    public static async Task<BuildRun> RunAsync(
        BuildDefinition build,
        TestRoot root,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken,
        params string[] args)
    {
        var output = new StringWriter();
        var settings = new BuildRunSettings { Environment = environment, RootDirectory = root.Directory, Output = output };
        var result = await BuildRunner.ExecuteAsync(build, args, settings, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return new BuildRun(result.ExitCode, output.ToString(), result);
    }
}
