using System.Collections;
using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>
/// Everything a run takes from its surroundings, passed in explicitly so builds can run in-process (e.g. in tests)
/// without touching the process environment.
/// </summary>
public sealed record BuildRunSettings
{
    /// <summary>Environment variables parameters are read from and target bodies see.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The root directory; when null, the nearest ancestor of <see cref="WorkingDirectory"/> containing .nuke/.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>Where the search for .nuke/ starts when no root is given.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where the engine prints. When null, <see cref="Output"/> is wrapped in a plain console.</summary>
    public IAnsiConsole? Console { get; init; }

    /// <summary>A plain writer to print to (no colors, wide lines) when <see cref="Console"/> is null.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Route Console.Out/Console.Error writes made inside target bodies into the target logs.</summary>
    public bool CaptureConsoleOutput { get; init; } = true;

    /// <summary>Concurrency for --parallel without a number; default: processor count.</summary>
    public int? MaxParallelism { get; init; }

    /// <summary>
    /// Settings for a real process: its environment, current directory and standard output. When the current directory
    /// is not inside a build root, the root containing the build program is used, so the build works from any directory.
    /// </summary>
    public static BuildRunSettings FromProcess()
    {
        var workingDirectory = Directory.GetCurrentDirectory();
        return new BuildRunSettings
        {
            Environment = System.Environment.GetEnvironmentVariables()
                .Cast<DictionaryEntry>()
                .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? "", StringComparer.Ordinal),
            WorkingDirectory = workingDirectory,
            RootDirectory = RootDirectoryLocator.Find(workingDirectory) is null ? RootDirectoryLocator.Find(AppContext.BaseDirectory)?.ToString() : null,
            Console = ConsoleFactory.ForProcess(),
        };
    }
}
