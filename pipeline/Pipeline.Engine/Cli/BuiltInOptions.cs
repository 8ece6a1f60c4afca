namespace Pipeline.Engine;

/// <summary>Options the engine itself understands; parameters may not take these names.</summary>
internal static class BuiltInOptions
{
    public const string Help = "help";
    public const string Skip = "skip";
    public const string Plan = "plan";
    public const string PlanJson = "plan-json";
    public const string Parallel = "parallel";
    public const string Force = "force";
    public const string Verbosity = "verbosity";
    public const string Profile = "profile";
    public const string Root = "root";

    public static IReadOnlyList<string> All { get; } = [Help, Skip, Plan, PlanJson, Parallel, Force, Verbosity, Profile, Root];

    /// <summary>Built-in options and what they do, for --help.</summary>
    public static IReadOnlyList<(string Usage, string Description)> Usage { get; } =
    [
        ("--help, -h", "Show targets and parameters with their current values."),
        ("--plan", "Print the execution plan (what would run, be skipped or be up to date) and run nothing."),
        ("--plan-json", "Print the execution plan as JSON and run nothing."),
        ("--skip [targets]", "Skip the named targets; without names, skip every target not invoked explicitly."),
        ("--parallel [n]", "Run independent targets concurrently (at most n, default: processor count)."),
        ("--force", "Run incremental targets even when they are up to date, and redo work targets would reuse (a passing load test of the same image)."),
        ("--verbosity <level>", "quiet (errors and summary), normal (default) or verbose (plan details, stack traces)."),
        ("--profile <name...>", "Overlay .nuke/parameters.<name>.json on .nuke/parameters.json."),
        ("--root <dir>", "Root directory (default: nearest ancestor containing .nuke/)."),
    ];
}
