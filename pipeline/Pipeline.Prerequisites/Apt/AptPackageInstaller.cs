namespace Pipeline.Prerequisites;

/// <summary>
/// Asks dpkg whether Debian packages are installed and installs the missing ones with apt-get.
/// It does not check for root: callers decide whether installing is allowed (see <see cref="HostSystem"/>).
/// With <paramref name="throughSudo"/>, apt-get runs as <c>sudo -n env DEBIAN_FRONTEND=noninteractive apt-get …</c>
/// (sudo drops the environment, and -n fails instead of prompting).
/// </summary>
public sealed class AptPackageInstaller(IProcessRunner runner, Action<string>? log = null, bool throughSudo = false)
{
    // apt-get errors that a fresh package index can cure: the image's lists are missing or stale.
    private static readonly string[] StaleIndexSymptoms =
        ["Unable to locate package", "has no installation candidate", "404  Not Found"];

    private static readonly IReadOnlyDictionary<string, string> NonInteractive =
        new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };

    /// <summary>The command a person would run to install <paramref name="packages"/> themselves.</summary>
    public static string ManualInstallCommand(IEnumerable<string> packages) =>
        "sudo apt-get install -y " + string.Join(' ', packages);

    public async Task<AptPackageState> QueryAsync(string package, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(package);
        var query = new ProcessSpec("dpkg-query", "-W", "-f=${Status}\t${Version}\n", package);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandNotFoundException ex)
        {
            throw new PrerequisiteException(
                package,
                $"dpkg-query not found, so this is not a Debian-based system: install the equivalent of '{package}' with your package manager",
                ex);
        }

        // Exit code 1 means dpkg has never heard of the package. Multi-arch packages print one line per
        // architecture; installed on any counts. Status is "want flag state", e.g. "install ok installed".
        var installed = result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .FirstOrDefault(parts => parts[0].Split(' ').LastOrDefault() == "installed");
        return installed is null
            ? new AptPackageState(package, false, "")
            : new AptPackageState(package, true, installed.Length > 1 ? installed[1].Trim() : "");
    }

    public async Task<bool> IsInstalledAsync(string package, CancellationToken cancellationToken) =>
        (await QueryAsync(package, cancellationToken).ConfigureAwait(false)).IsInstalled;

    /// <summary>Installs whichever of <paramref name="packages"/> are missing; returns those it installed.</summary>
    public async Task<IReadOnlyList<string>> InstallMissingAsync(
        IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var package in packages)
        {
            if (!await IsInstalledAsync(package, cancellationToken).ConfigureAwait(false))
            {
                missing.Add(package);
            }
        }

        if (missing.Count > 0)
        {
            await InstallAsync(missing, cancellationToken).ConfigureAwait(false);
        }

        return missing;
    }

    /// <summary>
    /// apt-get install, non-interactively. Runs apt-get update and retries once only when the failure
    /// says the package index is stale, so the common case costs no index download.
    /// <paramref name="reinstall"/> restores files deleted from an installed package.
    /// </summary>
    public async Task InstallAsync(
        IReadOnlyList<string> packages, CancellationToken cancellationToken, bool reinstall = false)
    {
        if (packages.Count == 0)
        {
            return;
        }

        // Wait for another apt/dpkg run (unattended upgrades, a parallel build) instead of failing on its lock.
        string[] options = reinstall ? ["-y", "--reinstall"] : ["-y"];
        var install = Apt(["install", .. options, "-o", "DPkg::Lock::Timeout=300", .. packages]);
        log?.Invoke($"Running {install.CommandLine}");
        var result = await RunAptAsync(install, packages, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && StaleIndexSymptoms.Any(s => result.StandardError.Contains(s, StringComparison.Ordinal)))
        {
            var update = Apt(["update", "-o", "DPkg::Lock::Timeout=300"]);
            log?.Invoke($"Package index looks stale; running {update.CommandLine} and retrying once");
            var updated = await RunAptAsync(update, packages, cancellationToken).ConfigureAwait(false);
            if (!updated.Succeeded)
            {
                throw Failure(packages, update, updated);
            }

            result = await RunAptAsync(install, packages, cancellationToken).ConfigureAwait(false);
        }

        if (!result.Succeeded)
        {
            throw Failure(packages, install, result);
        }
    }

    private ProcessSpec Apt(string[] arguments) => (throughSudo
        ? new ProcessSpec("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", .. arguments])
        : new ProcessSpec("apt-get", arguments)) with
    {
        Environment = NonInteractive,
        OnOutputLine = log is null ? null : line =>
        {
            if (!IsProgressNoise(line))
            {
                log("apt: " + line);
            }
        },
    };

    // dpkg redraws "(Reading database ... 45%" twenty times per package; keep only real lines.
    private static bool IsProgressNoise(string line) =>
        string.IsNullOrWhiteSpace(line) || (line.StartsWith("(Reading database", StringComparison.Ordinal) && line.EndsWith('%'));

    private async Task<ProcessResult> RunAptAsync(
        ProcessSpec spec, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandNotFoundException ex)
        {
            throw new PrerequisiteException(
                string.Join(' ', packages),
                $"apt-get not found: install {string.Join(' ', packages)} with your system's package manager",
                ex);
        }
    }

    private static PrerequisiteException Failure(IReadOnlyList<string> packages, ProcessSpec spec, ProcessResult result) =>
        new(
            string.Join(' ', packages),
            $"'{spec.CommandLine}' failed with exit code {result.ExitCode}: {result.ErrorTail()}. " +
            $"Fix the cause and run: {ManualInstallCommand(packages)}");
}
