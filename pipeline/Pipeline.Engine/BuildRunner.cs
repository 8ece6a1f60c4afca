using System.Runtime.InteropServices;

namespace Pipeline.Engine;

/// <summary>
/// Entry points. <c>Main</c> returns <see cref="RunAsync{TBuild}(string[])"/>'s exit code; the engine never calls
/// Environment.Exit. The overloads taking settings run a build in-process against an explicit environment, root and
/// console.
/// </summary>
public static class BuildRunner
{
    /// <summary>Runs against the real process: its environment, directory and console; Ctrl-C and SIGTERM cancel the build.</summary>
    public static async Task<int> RunAsync<TBuild>(string[] args)
        where TBuild : BuildDefinition, new()
    {
        using var cancellation = new CancellationTokenSource();
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            // The first Ctrl-C cancels gracefully; a second one terminates the process as usual.
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            return await RunAsync<TBuild>(args, BuildRunSettings.FromProcess(), cancellation.Token);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }

    public static async Task<int> RunAsync<TBuild>(string[] args, BuildRunSettings settings, CancellationToken cancellationToken = default)
        where TBuild : BuildDefinition, new()
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(settings);
        return (await new BuildSession(() => new TBuild(), args, settings).RunAsync(cancellationToken)).ExitCode;
    }

    /// <summary>Runs in-process with an explicit environment and root, printing plain text to <paramref name="output"/>.</summary>
    public static Task<int> RunAsync<TBuild>(
        string[] args,
        IReadOnlyDictionary<string, string> environment,
        string rootDirectory,
        TextWriter output,
        CancellationToken cancellationToken = default)
        where TBuild : BuildDefinition, new() =>
        RunAsync<TBuild>(args, new BuildRunSettings { Environment = environment, RootDirectory = rootDirectory, Output = output }, cancellationToken);

    /// <summary>Runs a build instance (one instance per run) and returns the details: graph, plan, results, errors.</summary>
    public static Task<BuildResult> ExecuteAsync(
        BuildDefinition build,
        IReadOnlyList<string> args,
        BuildRunSettings settings,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(settings);
        return new BuildSession(() => build, args, settings).RunAsync(cancellationToken);
    }
}
