namespace Pipeline.Prerequisites;

/// <summary>
/// The facts about this machine that decide whether a prerequisite may be installed or started here.
/// Tests build one directly to simulate machines they do not run on.
/// </summary>
public sealed record HostSystem(bool IsRoot, OsRelease OsRelease, bool SystemdRunning)
{
    public const string SystemdRuntimeDirectory = "/run/systemd/system";

    /// <summary>
    /// <c>sudo -n true</c> succeeds: a user with passwordless sudo (GitHub's hosted runners, many CI images) may install
    /// through it; a password prompt would hang a build, so sudo that asks for one does not count.
    /// </summary>
    public bool HasPasswordlessSudo { get; init; }

    /// <summary>We install with apt only as root, or through passwordless sudo, on Debian or a derivative; anywhere else we explain instead.</summary>
    public bool CanInstallWithApt => (IsRoot || HasPasswordlessSudo) && OsRelease.IsDebianFamily;

    /// <summary>apt-get must run through <c>sudo -n</c>.</summary>
    public bool InstallsThroughSudo => !IsRoot && HasPasswordlessSudo;

    /// <summary>Why apt may not be used here, or null when it may.</summary>
    public string? WhyNotApt =>
        !OsRelease.IsDebianFamily ? $"this is {OsRelease.PrettyName}, not Debian or Ubuntu"
        : !IsRoot && !HasPasswordlessSudo ? "not running as root"
        : null;

    /// <summary>
    /// Probes the running machine. systemd is "running" when its runtime directory exists, the test
    /// sd_booted(3) uses; containers without systemd as PID 1 do not have it.
    /// </summary>
    public static HostSystem Detect(
        string osReleasePath = OsRelease.DefaultPath,
        string systemdRuntimeDirectory = SystemdRuntimeDirectory) =>
        new(Environment.IsPrivilegedProcess, OsRelease.Read(osReleasePath), Directory.Exists(systemdRuntimeDirectory))
        {
            HasPasswordlessSudo = !Environment.IsPrivilegedProcess && SudoWithoutPassword(),
        };

    private static bool SudoWithoutPassword()
    {
        try
        {
            using var sudo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sudo", ["-n", "true"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            if (sudo is null) return false;
            if (!sudo.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                sudo.Kill();
                return false;
            }
            return sudo.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no sudo on PATH
        }
    }
}
