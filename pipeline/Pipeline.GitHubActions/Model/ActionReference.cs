using System.Text.RegularExpressions;

namespace Pipeline.GitHubActions.Model;

/// <summary>
/// An action pinned to a full commit SHA (a tag can be moved; a commit cannot), with the release it is, which the
/// workflow shows as a comment for people and update tools.
/// </summary>
public sealed partial record ActionReference
{
    public ActionReference(string repository, string commitSha, string release)
    {
        if (!RepositoryName().IsMatch(repository))
            throw new ArgumentException($"Action '{repository}' is not owner/name[/path].", nameof(repository));
        if (!FullSha().IsMatch(commitSha))
            throw new ArgumentException($"Action {repository} must be pinned to a full 40-hex commit SHA, not '{commitSha}'.", nameof(commitSha));
        Repository = repository;
        CommitSha = commitSha;
        Release = release;
    }

    public string Repository { get; }

    public string CommitSha { get; }

    public string Release { get; }

    /// <summary>The <c>uses:</c> value, e.g. <c>actions/checkout@3d3c…</c>.</summary>
    public string Uses => $"{Repository}@{CommitSha}";

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?$")]
    private static partial Regex RepositoryName();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullSha();
}
