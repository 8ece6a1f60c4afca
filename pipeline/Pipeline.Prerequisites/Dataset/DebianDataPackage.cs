namespace Pipeline.Prerequisites;

/// <summary>
/// A Debian package that ships a model's data (e.g. <c>r-cran-palmerpenguins</c>), downloaded with
/// <c>apt-get download</c> and unpacked with <c>dpkg-deb -x</c> into <c>&lt;root&gt;/&lt;package&gt;/</c>: nothing is
/// installed, so an R data package needs no R and no root. The unpacked tree appears whole or not at all (extracted
/// into a temporary directory, then renamed), and a file the model needs is checked to be there.
/// </summary>
public sealed class DebianDataPackage(IProcessRunner runner, string root, string package, IReadOnlyList<string> requiredFiles,
    Action<string>? log = null) : IPrerequisite
{
    public string Name => $"data package {package}";

    public string Directory => Path.Combine(root, package);

    public async Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
    {
        if (Missing().Count == 0)
            return Result(PrerequisiteStatus.AlreadyPresent, $"found in {Directory}");

        var work = Path.Combine(root, $".{package}.{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(work);
        try
        {
            log?.Invoke($"{package}: apt-get download into {work}");
            var download = await runner.RunAsync(new ProcessSpec("apt-get", "download", package) { WorkingDirectory = work }, cancellationToken);
            if (!download.Succeeded)
                throw new PrerequisiteException(Name,
                    $"apt-get download {package} failed ({download.ErrorTail()}); run 'apt-get update' or check the package name in the model definition");
            var deb = System.IO.Directory.GetFiles(work, "*.deb").SingleOrDefault()
                ?? throw new PrerequisiteException(Name, $"apt-get download {package} succeeded but left no .deb in {work}");
            var tree = Path.Combine(work, "tree");
            var extract = await runner.RunAsync(new ProcessSpec("dpkg-deb", "-x", deb, tree), cancellationToken);
            if (!extract.Succeeded)
                throw new PrerequisiteException(Name, $"dpkg-deb -x {Path.GetFileName(deb)} failed: {extract.ErrorTail()}");
            if (System.IO.Directory.Exists(Directory))
                System.IO.Directory.Delete(Directory, recursive: true);
            System.IO.Directory.Move(tree, Directory);
        }
        catch (CommandNotFoundException e)
        {
            throw new PrerequisiteException(Name, $"{e.Message}: a Debian system with apt-get and dpkg-deb is needed to fetch {package}");
        }
        finally
        {
            if (System.IO.Directory.Exists(work))
                System.IO.Directory.Delete(work, recursive: true);
        }

        var missing = Missing();
        if (missing.Count > 0)
            throw new PrerequisiteException(Name,
                $"{package} was extracted into {Directory} but lacks {string.Join(", ", missing)}; the model definition names a path the package does not ship (check `dpkg-deb -c`)");
        return Result(PrerequisiteStatus.Installed, $"extracted {package} into {Directory}");
    }

    private List<string> Missing() => requiredFiles.Where(f => !File.Exists(Path.Combine(Directory, f))).ToList();

    private PrerequisiteResult Result(PrerequisiteStatus status, string message) =>
        new(Name, status, message, new Dictionary<string, string> { ["directory"] = Directory, ["files"] = string.Join(", ", requiredFiles) });
}
