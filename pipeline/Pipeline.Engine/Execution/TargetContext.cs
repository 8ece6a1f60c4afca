namespace Pipeline.Engine;

/// <summary>What a running target gets from the engine: its name, log, root directory, cancellation and CI hooks.</summary>
public sealed class TargetContext
{
    private readonly GitHubActions? _gitHubActions;
    private readonly SecretMasker _masker;

    internal TargetContext(
        string name,
        TextWriter log,
        AbsolutePath rootDirectory,
        IReadOnlyDictionary<string, string> environment,
        string? runReason,
        bool forced,
        GitHubActions? gitHubActions,
        SecretMasker masker,
        CancellationToken cancellationToken)
    {
        Name = name;
        Log = log;
        RootDirectory = rootDirectory;
        Environment = environment;
        RunReason = runReason;
        Forced = forced;
        _gitHubActions = gitHubActions;
        _masker = masker;
        CancellationToken = cancellationToken;
    }

    public string Name { get; }

    /// <summary>
    /// The target's log. Whole lines are printed (prefixed with the target name in parallel runs) and secrets are masked.
    /// Console.Out and Console.Error writes inside the target body land here too.
    /// </summary>
    public TextWriter Log { get; }

    public AbsolutePath RootDirectory { get; }

    /// <summary>The run's environment (the process's, or one a test injected).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Why the target runs when it is incremental, e.g. "input src/a.cs changed"; null otherwise.</summary>
    public string? RunReason { get; }

    /// <summary>True when the run was started with --force: a target that reuses earlier results of its own (not only an
    /// incremental one the engine skips) must do the work again.</summary>
    public bool Forced { get; }

    public CancellationToken CancellationToken { get; }

    public bool IsGitHubActions => _gitHubActions is not null;

    /// <summary>
    /// Appends Markdown to the GitHub Actions job summary (secrets masked). Outside GitHub Actions it only logs that
    /// it was skipped.
    /// </summary>
    public void AppendStepSummary(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        // Outside GitHub Actions there is no step summary; saying so on every call would only be noise.
        if (_gitHubActions is not null && !_gitHubActions.AppendStepSummary(_masker.Apply(markdown)))
        {
            Log.WriteLine("Step summary not written: GITHUB_STEP_SUMMARY is not set.");
        }
    }
}
