using System.Diagnostics;

namespace Pipeline.Prerequisites;

/// <summary>
/// Downloads an npm package tarball with `npm pack`, so npm's own registry, proxy and cache settings apply.
/// npm prints nothing while it downloads, so a line is logged every <c>heartbeatInterval</c>.
/// </summary>
public sealed class NpmPackDownloader(IProcessRunner runner, Action<string>? log = null, TimeSpan? heartbeatInterval = null)
{
    public const string MissingNpmMessage = "npm not found: apt-get install npm (or install Node.js)";

    private readonly TimeSpan heartbeat = heartbeatInterval ?? TimeSpan.FromSeconds(10);

    /// <summary>Packs <paramref name="packageSpec"/> (name@version) into an empty directory; returns the tarball's path.</summary>
    public async Task<string> PackAsync(string packageSpec, string destinationDirectory, CancellationToken cancellationToken)
    {
        var pack = new ProcessSpec("npm", "pack", packageSpec, "--pack-destination", destinationDirectory);
        log?.Invoke($"Downloading {packageSpec}: {pack.CommandLine}");
        var clock = Stopwatch.StartNew();
        Task<ProcessResult> run;
        try
        {
            run = runner.RunAsync(pack, cancellationToken);
            while (await Task.WhenAny(run, Task.Delay(heartbeat, cancellationToken)).ConfigureAwait(false) != run)
            {
                cancellationToken.ThrowIfCancellationRequested();
                log?.Invoke($"  still downloading {packageSpec} ({clock.Elapsed.TotalSeconds:0} s)");
            }

            var result = await run.ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new PrerequisiteException(packageSpec,
                    $"'{pack.CommandLine}' failed with exit code {result.ExitCode}: {result.ErrorTail()}. " +
                    "Check npm's registry settings (npm config get registry) and retry");
            }
        }
        catch (CommandNotFoundException ex)
        {
            throw new PrerequisiteException(packageSpec, MissingNpmMessage, ex);
        }

        var tarballs = Directory.GetFiles(destinationDirectory, "*.tgz");
        if (tarballs.Length != 1)
        {
            throw new PrerequisiteException(packageSpec,
                $"'{pack.CommandLine}' succeeded but left {tarballs.Length} .tgz files in {destinationDirectory} instead of one");
        }

        log?.Invoke($"Downloaded {Path.GetFileName(tarballs[0])} ({new FileInfo(tarballs[0]).Length / 1e6:0.0} MB) in {clock.Elapsed.TotalSeconds:0.0} s");
        return tarballs[0];
    }
}
