namespace Pipeline.Prerequisites;

/// <summary>
/// Makes the pinned ONNX Runtime native library present: honours ONNXRUNTIME_LIBRARY, else checks the
/// cache directory, else downloads the npm package, verifies both hashes and renames the library into place.
/// </summary>
public sealed class OnnxRuntimeInstaller(
    NpmPackDownloader npm,
    Func<string, string?> environment,
    OnnxRuntimePin pin,
    string? installDirectory = null,
    Action<string>? log = null) : IPrerequisite
{
    public string Name => $"ONNX Runtime {pin.Version}";

    public async Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
    {
        var overridden = environment(OnnxRuntimeLocation.OverrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return await UseOverrideAsync(overridden, cancellationToken).ConfigureAwait(false);
        }

        var directory = installDirectory ?? OnnxRuntimeLocation.DefaultDirectory(pin, environment);
        var libraryPath = Path.Combine(directory, pin.LibraryFileName);
        if (File.Exists(libraryPath))
        {
            var existing = await FileSha256.ComputeAsync(libraryPath, cancellationToken).ConfigureAwait(false);
            if (FileSha256.Matches(existing, pin.LibrarySha256))
            {
                return Result(PrerequisiteStatus.AlreadyPresent, $"found at {libraryPath}", libraryPath, existing);
            }

            log?.Invoke($"{libraryPath} has SHA-256 {existing}, not the pinned {pin.LibrarySha256}: reinstalling");
        }

        await InstallAsync(directory, libraryPath, cancellationToken).ConfigureAwait(false);
        return Result(PrerequisiteStatus.Installed, $"installed from npm {pin.NpmSpec} to {libraryPath}", libraryPath, pin.LibrarySha256);
    }

    private async Task<PrerequisiteResult> UseOverrideAsync(string path, CancellationToken cancellationToken)
    {
        var variable = OnnxRuntimeLocation.OverrideVariable;
        if (!File.Exists(path))
        {
            throw new PrerequisiteException(Name,
                $"{variable}={path} does not exist: point it at an existing libonnxruntime.so.1, " +
                $"or unset {variable} to install the pinned library");
        }

        var actual = await FileSha256.ComputeAsync(path, cancellationToken).ConfigureAwait(false);
        // An override is a deliberate choice (e.g. a custom build), so a different hash is reported, not refused.
        var message = FileSha256.Matches(actual, pin.LibrarySha256)
            ? $"{variable}={path}; SHA-256 matches the pinned {pin.Version} {pin.RuntimeIdentifier} build"
            : $"{variable}={path} used as is; its SHA-256 {actual} differs from the pinned {pin.Version} " +
              $"{pin.RuntimeIdentifier} build ({pin.LibrarySha256})";
        return Result(PrerequisiteStatus.AlreadyPresent, message, path, actual);
    }

    private async Task InstallAsync(string directory, string libraryPath, CancellationToken cancellationToken)
    {
        var workDirectory = Directory.CreateTempSubdirectory("mlops-onnxruntime-");
        try
        {
            var tarball = await npm.PackAsync(pin.NpmSpec, workDirectory.FullName, cancellationToken).ConfigureAwait(false);
            var tarballSha = await FileSha256.ComputeAsync(tarball, cancellationToken).ConfigureAwait(false);
            if (!FileSha256.Matches(tarballSha, pin.TarballSha256))
            {
                throw new PrerequisiteException(Name,
                    $"npm package {pin.NpmSpec} has SHA-256 {tarballSha}, expected {pin.TarballSha256}: " +
                    "the registry served a different file; check `npm config get registry` and run `npm cache verify`");
            }

            CreateDirectory(directory);
            await ExtractVerifiedAsync(tarball, directory, libraryPath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    // Extracts beside the target, so the final rename stays on one file system and is atomic:
    // readers see either the old file or the complete new one.
    private async Task ExtractVerifiedAsync(string tarball, string directory, string libraryPath, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(directory, $".{pin.LibraryFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var sha = await TarballEntryExtractor.ExtractAsync(tarball, pin.TarballEntry, temporary, cancellationToken)
                .ConfigureAwait(false);
            if (sha is null)
            {
                throw new PrerequisiteException(Name,
                    $"npm package {pin.NpmSpec} has no file {pin.TarballEntry}: fix {nameof(OnnxRuntimePin)}.{nameof(OnnxRuntimePin.TarballEntry)}");
            }

            if (!FileSha256.Matches(sha, pin.LibrarySha256))
            {
                throw new PrerequisiteException(Name,
                    $"{pin.TarballEntry} from {pin.NpmSpec} has SHA-256 {sha}, expected {pin.LibrarySha256}: " +
                    $"nothing was installed; check {nameof(OnnxRuntimePin)}.{nameof(OnnxRuntimePin.LibrarySha256)}");
            }

            File.Move(temporary, libraryPath, overwrite: true);
            log?.Invoke($"Installed {libraryPath} (SHA-256 {sha})");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void CreateDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new PrerequisiteException(Name,
                $"Cannot create {directory} ({ex.Message}): set XDG_CACHE_HOME to a writable directory, " +
                $"or set {OnnxRuntimeLocation.OverrideVariable} to an existing libonnxruntime.so.1", ex);
        }
    }

    private PrerequisiteResult Result(PrerequisiteStatus status, string message, string path, string sha) =>
        new(Name, status, message, new Dictionary<string, string>
        {
            ["path"] = path,
            ["version"] = pin.Version,
            ["sha256"] = sha,
        });
}
