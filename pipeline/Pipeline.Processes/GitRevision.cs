namespace Pipeline.Processes;

/// <summary>The source revision a build runs from, for lineage: the commit, marked "-dirty" when the tree has changes.</summary>
public static class GitRevision
{
    public const string Unknown = "unknown";

    public static async Task<string> ReadAsync(IProcessRunner runner, string repositoryDirectory, CancellationToken cancellationToken)
    {
        try
        {
            var head = await runner.RunAsync(new ProcessSpec("git", "rev-parse", "HEAD") { WorkingDirectory = repositoryDirectory }, cancellationToken);
            if (!head.Succeeded) return Unknown;
            var status = await runner.RunAsync(
                new ProcessSpec("git", "status", "--porcelain", "--untracked-files=no") { WorkingDirectory = repositoryDirectory }, cancellationToken);
            var revision = head.StandardOutput.Trim();
            return status.Succeeded && status.StandardOutput.Trim().Length > 0 ? revision + "-dirty" : revision;
        }
        catch (CommandNotFoundException)
        {
            return Unknown;
        }
    }
}
