namespace Pipeline.Prerequisites;

/// <summary>
/// A named group of Debian packages the pipeline needs (e.g. "ONNX test tools": python3-onnx,
/// libonnx-testdata), installed with apt when allowed, explained otherwise.
/// </summary>
public sealed class AptPackagesPrerequisite(
    string name,
    IReadOnlyList<string> packages,
    string reason,
    AptPackageInstaller apt,
    HostSystem host) : IPrerequisite
{
    public string Name { get; } = name;

    public async Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
    {
        if (!host.OsRelease.IsDebianFamily)
        {
            throw new PrerequisiteException(Name,
                $"{Name} needs the Debian packages {string.Join(", ", packages)} ({reason}), but {host.WhyNotApt}: " +
                "install their equivalents with your package manager");
        }

        var before = await QueryAllAsync(cancellationToken).ConfigureAwait(false);
        var missing = before.Where(p => !p.IsInstalled).Select(p => p.Package).ToList();
        if (missing.Count == 0)
        {
            return Result(PrerequisiteStatus.AlreadyPresent, $"installed ({reason})", before);
        }

        if (!host.CanInstallWithApt)
        {
            throw new PrerequisiteException(Name,
                $"{Name}: missing {string.Join(", ", missing)} ({reason}) and {host.WhyNotApt}: " +
                AptPackageInstaller.ManualInstallCommand(missing));
        }

        await apt.InstallAsync(missing, cancellationToken).ConfigureAwait(false);
        var after = await QueryAllAsync(cancellationToken).ConfigureAwait(false);
        var stillMissing = after.Where(p => !p.IsInstalled).Select(p => p.Package).ToList();
        if (stillMissing.Count > 0)
        {
            throw new PrerequisiteException(Name,
                $"{Name}: apt-get reported success but {string.Join(", ", stillMissing)} is still not installed: " +
                AptPackageInstaller.ManualInstallCommand(stillMissing));
        }

        return Result(PrerequisiteStatus.Installed, $"installed {string.Join(", ", missing)} ({reason})", after);
    }

    private async Task<List<AptPackageState>> QueryAllAsync(CancellationToken cancellationToken)
    {
        var states = new List<AptPackageState>();
        foreach (var package in packages)
        {
            states.Add(await apt.QueryAsync(package, cancellationToken).ConfigureAwait(false));
        }

        return states;
    }

    private PrerequisiteResult Result(PrerequisiteStatus status, string message, IEnumerable<AptPackageState> states) =>
        new(Name, status, message, new Dictionary<string, string>
        {
            ["packages"] = string.Join(", ", states.Select(s => $"{s.Package} {s.Version}")),
        });
}
