namespace Pipeline.Engine;

/// <summary>
/// Base class of a build. Targets are instance properties of type <see cref="Target"/> (any visibility);
/// parameters are instance fields or properties marked <see cref="ParameterAttribute"/>. The runner injects parameter
/// values and the run environment before any target is defined; nothing is read from the process itself.
/// </summary>
public abstract class BuildDefinition
{
    private BuildEnvironment? _environment;

    /// <summary>Target run when the command line names none. Without one, the runner prints help.</summary>
    public virtual Target? DefaultTarget => null;

    /// <summary>
    /// The values a string parameter may take when they are only known at run time (e.g. the models compiled into the
    /// build), or null for any value. <c>--help</c> lists them and any other value is a configuration error, reported
    /// with every other one before anything runs. Called with the parameter's name (the member name).
    /// </summary>
    public virtual IReadOnlyList<string>? ParameterChoices(string parameter) => null;

    /// <summary>The nearest ancestor directory containing <c>.nuke/</c>, or the one given with <c>--root</c>.</summary>
    public AbsolutePath RootDirectory => RunEnvironment.RootDirectory;

    /// <summary><c>.nuke/temp</c> under the root: scratch space that is never committed.</summary>
    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";

    /// <summary>The environment the build runs with (the process environment, or the one a test injected).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => RunEnvironment.Variables;

    /// <summary>True on a CI server (GITHUB_ACTIONS or CI set to true).</summary>
    public bool IsServerBuild => RunEnvironment.IsServerBuild;

    public bool IsLocalBuild => !IsServerBuild;

    /// <summary>True when running inside GitHub Actions (GITHUB_ACTIONS=true).</summary>
    public bool IsGitHubActions => RunEnvironment.IsGitHubActions;

    private BuildEnvironment RunEnvironment =>
        _environment ?? throw new InvalidOperationException(
            "The build environment is not available yet: it is set by BuildRunner before targets are defined. " +
            "Do not read RootDirectory or EnvironmentVariables from a constructor or field initializer.");

    internal void Initialize(BuildEnvironment environment)
    {
        if (_environment is not null)
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} instance has already been initialized for a run; create a new instance for every run.");
        }

        _environment = environment;
    }
}
