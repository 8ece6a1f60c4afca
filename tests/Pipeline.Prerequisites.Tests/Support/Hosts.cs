namespace Pipeline.Prerequisites.Tests;

/// <summary>Machines the tests simulate, from real os-release texts.</summary>
public static class Hosts
{
    public static OsRelease Debian { get; } = OsRelease.Parse(
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n");

    public static OsRelease Fedora { get; } = OsRelease.Parse(
        "NAME=\"Fedora Linux\"\nVERSION_ID=40\nID=fedora\nPRETTY_NAME=\"Fedora Linux 40 (Workstation Edition)\"\n");

    public static HostSystem RootDebian { get; } = new(IsRoot: true, Debian, SystemdRunning: false);

    public static HostSystem UserDebian { get; } = new(IsRoot: false, Debian, SystemdRunning: false);

    public static HostSystem RootFedora { get; } = new(IsRoot: true, Fedora, SystemdRunning: false);
}
