namespace Pipeline.Prerequisites.Tests;

public sealed class HostSystemTests
{
    [Theory]
    [InlineData("ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"", "debian", true)]
    [InlineData("ID=ubuntu\nID_LIKE=debian\n", "ubuntu", true)]
    [InlineData("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", "linuxmint", true)]
    [InlineData("ID='pop'\nID_LIKE='ubuntu debian'\n", "pop", true)]
    [InlineData("ID=fedora\n", "fedora", false)]
    [InlineData("ID=\"rhel\"\nID_LIKE=\"fedora\"\n", "rhel", false)]
    [InlineData("ID=alpine\n", "alpine", false)]
    [InlineData("# comment only\n", "", false)]
    public void Recognises_the_Debian_family_from_ID_and_ID_LIKE(string text, string id, bool debianFamily)
    {
        var release = OsRelease.Parse(text);

        Assert.Equal(id, release.Id);
        Assert.Equal(debianFamily, release.IsDebianFamily);
    }

    [Fact]
    public void Unquotes_values_with_shell_escapes()
    {
        var release = OsRelease.Parse("ID=debian\nPRETTY_NAME=\"My \\\"Special\\\" Linux \\$1\"\n");

        Assert.Equal("My \"Special\" Linux $1", release.PrettyName);
    }

    [Fact]
    public void Missing_os_release_means_unknown_not_Debian()
    {
        using var directory = new TempDirectory();

        var release = OsRelease.Read(directory.File("os-release"));

        Assert.False(release.IsDebianFamily);
        Assert.Equal("unknown OS", release.PrettyName);
    }

    [Fact]
    public void Detect_reads_the_given_os_release_and_systemd_directory()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("os-release"), "ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 24.04 LTS\"\n");
        var systemd = directory.Subdirectory("systemd-system");

        var withSystemd = HostSystem.Detect(directory.File("os-release"), systemd);
        var withoutSystemd = HostSystem.Detect(directory.File("os-release"), directory.File("absent"));

        Assert.Equal("ubuntu", withSystemd.OsRelease.Id);
        Assert.True(withSystemd.SystemdRunning);
        Assert.False(withoutSystemd.SystemdRunning);
        Assert.Equal(Environment.IsPrivilegedProcess, withSystemd.IsRoot);
    }

    [Fact]
    public void Apt_is_allowed_only_as_root_on_the_Debian_family_and_says_why_not()
    {
        Assert.True(Hosts.RootDebian.CanInstallWithApt);
        Assert.Null(Hosts.RootDebian.WhyNotApt);
        Assert.False(Hosts.UserDebian.CanInstallWithApt);
        Assert.Equal("not running as root", Hosts.UserDebian.WhyNotApt);
        Assert.False(Hosts.RootFedora.CanInstallWithApt);
        Assert.Equal("this is Fedora Linux 40 (Workstation Edition), not Debian or Ubuntu", Hosts.RootFedora.WhyNotApt);
    }
}
