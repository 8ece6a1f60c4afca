namespace Pipeline.Engine.Tests.Cli;

public sealed class RootDirectoryTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_root_is_the_nearest_ancestor_with_a_nuke_directory()
    {
        var nested = Directory.CreateDirectory(_root.PathOf("a/b/c")).FullName;
        var build = new CliBuild();
        var settings = new BuildRunSettings { Environment = new Dictionary<string, string>(), WorkingDirectory = nested, Output = new StringWriter() };

        var result = await BuildRunner.ExecuteAsync(build, ["Restore"], settings);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(AbsolutePath.Create(_root.Directory), build.RootDirectory);
    }

    [Fact]
    public async Task The_root_option_overrides_the_search()
    {
        var other = new TestRoot();
        try
        {
            var build = new CliBuild();
            var settings = new BuildRunSettings { Environment = new Dictionary<string, string>(), WorkingDirectory = _root.Directory, Output = new StringWriter() };

            var result = await BuildRunner.ExecuteAsync(build, ["Restore", "--root", other.Directory], settings);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(AbsolutePath.Create(other.Directory), build.RootDirectory);
        }
        finally
        {
            other.Dispose();
        }
    }

    [Fact]
    public async Task Without_a_nuke_directory_the_error_says_how_to_fix_it()
    {
        var bare = Path.Combine(Path.GetTempPath(), "pipeline-engine-no-root-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bare);
        try
        {
            var output = new StringWriter();
            var settings = new BuildRunSettings { Environment = new Dictionary<string, string>(), WorkingDirectory = bare, Output = output };

            var result = await BuildRunner.ExecuteAsync(new CliBuild(), ["Restore"], settings);

            Assert.Equal(ExitCodes.InvalidConfiguration, result.ExitCode);
            Assert.Contains($"Could not find the build root: no .nuke directory in {bare} or any parent. Create one at the repository root (mkdir .nuke) or pass --root <dir>.", output.ToString());
        }
        finally
        {
            Directory.Delete(bare, recursive: true);
        }
    }

    [Fact]
    public async Task A_build_instance_runs_only_once()
    {
        var build = new CliBuild();
        await BuildHarness.RunAsync(build, _root, "Restore");

        var second = await BuildHarness.RunAsync(build, _root, "Restore");

        Assert.Equal(ExitCodes.BuildFailed, second.ExitCode);
        Assert.Contains("already been initialized for a run; create a new instance for every run", second.Output);
    }
}
