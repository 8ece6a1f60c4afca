namespace Pipeline.Prerequisites;

/// <summary>
/// The facts about this machine that decide whether a prerequisite may be installed or started here.
/// Tests build one directly to simulate machines they do not run on.
/// </summary>
public sealed record HostSystem(bool IsRoot, OsRelease OsRelease, bool SystemdRunning)
{
    public const string SystemdRuntimeDirectory = "/run/systemd/system";

    /// <summary>We install with apt only as root on Debian or a derivative; anywhere else we explain instead.</summary>
    public bool CanInstallWithApt => IsRoot && OsRelease.IsDebianFamily;

    /// <summary>Why apt may not be used here, or null when it may.</summary>
    public string? WhyNotApt =>
        !OsRelease.IsDebianFamily ? $"this is {OsRelease.PrettyName}, not Debian or Ubuntu"
        : !IsRoot ? "not running as root"
        : null;

    /// <summary>
    /// Probes the running machine. systemd is "running" when its runtime directory exists, the test
    /// sd_booted(3) uses; containers without systemd as PID 1 do not have it.
    /// </summary>
    public static HostSystem Detect(
        string osReleasePath = OsRelease.DefaultPath,
        string systemdRuntimeDirectory = SystemdRuntimeDirectory) =>
        new(Environment.IsPrivilegedProcess, OsRelease.Read(osReleasePath), Directory.Exists(systemdRuntimeDirectory));
}
