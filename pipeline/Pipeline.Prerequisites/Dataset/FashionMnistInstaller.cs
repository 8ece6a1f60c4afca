namespace Pipeline.Prerequisites;

/// <summary>
/// Makes the Fashion-MNIST IDX files present: the directory given, else FASHION_MNIST_DIR, else the
/// Debian package's directory, which is installed with apt when we are root on Debian/Ubuntu.
/// </summary>
public sealed class FashionMnistInstaller(
    AptPackageInstaller apt,
    HostSystem host,
    Func<string, string?> environment,
    string? datasetDirectory = null,
    string defaultDirectory = FashionMnistInstaller.DebianPackageDirectory,
    Action<string>? log = null) : IPrerequisite
{
    public const string DebianPackageDirectory = "/usr/share/datasets/fashion-mnist";
    public const string DebianPackage = "dataset-fashion-mnist";
    public const string DirectoryVariable = "FASHION_MNIST_DIR";

    public static IReadOnlyList<IdxFileSpec> Files { get; } =
    [
        new("train-images-idx3-ubyte", 0x0803, [60_000, 28, 28]),
        new("train-labels-idx1-ubyte", 0x0801, [60_000]),
        new("t10k-images-idx3-ubyte", 0x0803, [10_000, 28, 28]),
        new("t10k-labels-idx1-ubyte", 0x0801, [10_000]),
    ];

    public string Name => "Fashion-MNIST";

    /// <summary>The directory this installer looks in: parameter, then FASHION_MNIST_DIR, then the default.</summary>
    public string DatasetDirectory =>
        datasetDirectory ?? NonEmpty(environment(DirectoryVariable)) ?? defaultDirectory;

    public async Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
    {
        var directory = DatasetDirectory;
        var missing = Missing(directory);
        if (missing.Count == 0)
        {
            return Present(PrerequisiteStatus.AlreadyPresent, $"found in {directory}", directory);
        }

        var isDefault = Path.GetFullPath(directory) == Path.GetFullPath(defaultDirectory);
        if (!isDefault || !host.CanInstallWithApt)
        {
            var why = isDefault ? $" ({host.WhyNotApt}, so not installing)" : "";
            throw new PrerequisiteException(Name,
                $"Fashion-MNIST not found in {directory}{why}: sudo apt-get install {DebianPackage}, " +
                $"or pass --dataset-dir DIR holding the four IDX files (missing: {string.Join(", ", missing)})");
        }

        // Installed but files deleted: a plain install would be a no-op, so reinstall.
        var reinstall = await apt.IsInstalledAsync(DebianPackage, cancellationToken).ConfigureAwait(false);
        log?.Invoke($"Fashion-MNIST missing from {directory}: {(reinstall ? "reinstalling" : "installing")} {DebianPackage}");
        await apt.InstallAsync([DebianPackage], cancellationToken, reinstall).ConfigureAwait(false);

        var stillMissing = Missing(directory);
        if (stillMissing.Count > 0)
        {
            throw new PrerequisiteException(Name,
                $"{DebianPackage} was installed but {directory} still lacks {string.Join(", ", stillMissing)}: " +
                $"check `dpkg -L {DebianPackage}`, or pass --dataset-dir DIR holding the four IDX files");
        }

        return Present(PrerequisiteStatus.Installed, $"installed {DebianPackage} into {directory}", directory);
    }

    private static List<string> Missing(string directory) =>
        Files.Where(f => f.Find(directory) is null).Select(f => f.BaseName + "[.gz]").ToList();

    private PrerequisiteResult Present(PrerequisiteStatus status, string message, string directory)
    {
        var paths = Files.Select(f => (Spec: f, Path: f.Find(directory)!)).ToList();
        foreach (var (spec, path) in paths)
        {
            if (spec.Check(path) is { } problem)
            {
                throw new PrerequisiteException(Name,
                    $"{path} is not the Fashion-MNIST {spec.BaseName} IDX file: {problem}. Replace it " +
                    $"(sudo apt-get install --reinstall {DebianPackage}), or pass --dataset-dir DIR holding the four IDX files");
            }
        }

        return new PrerequisiteResult(Name, status, message, new Dictionary<string, string>
        {
            ["directory"] = directory,
            ["files"] = string.Join(", ", paths.Select(p => Path.GetFileName(p.Path))),
        });
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
