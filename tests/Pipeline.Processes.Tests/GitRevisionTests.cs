using Pipeline.Prerequisites.Tests;

namespace Pipeline.Processes.Tests;

public sealed class GitRevisionTests
{
    private readonly ProcessRunner runner = new();

    private async Task GitAsync(string directory, params string[] arguments)
    {
        var result = await runner.RunAsync(new ProcessSpec("git", arguments) { WorkingDirectory = directory }, CancellationToken.None);
        Assert.True(result.Succeeded, result.ErrorTail());
    }

    [Fact]
    public async Task Reads_the_commit_and_marks_a_changed_tree_dirty()
    {
        using var directory = new TempDirectory();
        await GitAsync(directory.Path, "init", "-q");
        File.WriteAllText(directory.File("a.txt"), "one");
        await GitAsync(directory.Path, "add", "a.txt");
        await GitAsync(directory.Path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "first");
        var head = (await runner.RunAsync(new ProcessSpec("git", "rev-parse", "HEAD") { WorkingDirectory = directory.Path }, CancellationToken.None)).StandardOutput.Trim();

        Assert.Equal(head, await GitRevision.ReadAsync(runner, directory.Path, CancellationToken.None));

        File.WriteAllText(directory.File("a.txt"), "two");
        Assert.Equal(head + "-dirty", await GitRevision.ReadAsync(runner, directory.Path, CancellationToken.None));
    }

    [Fact]
    public async Task Outside_a_repository_the_revision_is_unknown()
    {
        using var directory = new TempDirectory();
        Assert.Equal(GitRevision.Unknown, await GitRevision.ReadAsync(runner, directory.Path, CancellationToken.None));
    }
}
