namespace Pipeline.Prerequisites.Tests;

/// <summary>CI runners are not root but have passwordless sudo: apt goes through `sudo -n` there and nowhere else.</summary>
public sealed class AptThroughSudoTests
{
    [Fact]
    public async Task Through_sudo_apt_get_runs_non_interactively_under_sudo_n()
    {
        var runner = new FakeProcessRunner().On("sudo", ["-n"], _ => FakeProcessRunner.Ok());

        await new AptPackageInstaller(runner, throughSudo: true).InstallAsync(["haproxy"], CancellationToken.None);

        var call = Assert.Single(runner.Calls);
        Assert.Equal("sudo", call.FileName);
        Assert.Equal(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y"], call.Arguments.Take(6));
        Assert.Equal("haproxy", call.Arguments[^1]);
    }

    [Fact]
    public async Task As_root_apt_get_runs_directly()
    {
        var runner = new FakeProcessRunner().On("apt-get", ["install"], _ => FakeProcessRunner.Ok());

        await new AptPackageInstaller(runner).InstallAsync(["haproxy"], CancellationToken.None);

        Assert.Equal("apt-get", Assert.Single(runner.Calls).FileName);
    }

    [Fact]
    public void A_user_may_install_only_with_passwordless_sudo_and_is_told_why_not_otherwise()
    {
        var withSudo = Hosts.UserDebian with { HasPasswordlessSudo = true };

        Assert.True(withSudo.CanInstallWithApt);
        Assert.True(withSudo.InstallsThroughSudo);
        Assert.Null(withSudo.WhyNotApt);
        Assert.False(Hosts.RootDebian.InstallsThroughSudo);
        Assert.False(Hosts.UserDebian.CanInstallWithApt);
        Assert.Equal("not running as root", Hosts.UserDebian.WhyNotApt);
    }
}
