namespace Pipeline.Prerequisites.Tests;

public sealed class AptPackageInstallerTests
{
    [Theory]
    [InlineData("install ok installed\t1.12.0-2\n", true, "1.12.0-2")]
    [InlineData("hold ok installed\t2.0\n", true, "2.0")]
    [InlineData("deinstall ok config-files\t1.0\n", false, "")]
    [InlineData("unknown ok not-installed\t\n", false, "")]
    [InlineData("unknown ok not-installed\t\ninstall ok installed\t3.1\n", true, "3.1")]
    public async Task Reads_dpkg_status_including_multiarch_lines(string dpkgOutput, bool installed, string version)
    {
        var runner = new FakeProcessRunner().On("dpkg-query", ["-W"], _ => FakeProcessRunner.Ok(dpkgOutput));

        var state = await new AptPackageInstaller(runner).QueryAsync("pkg", CancellationToken.None);

        Assert.Equal(new AptPackageState("pkg", installed, version), state);
        Assert.Equal("dpkg-query -W '-f=${Status}\t${Version}\n' pkg", runner.Calls.Single().CommandLine);
    }

    [Fact]
    public async Task Package_dpkg_never_heard_of_is_not_installed()
    {
        var runner = new FakeProcessRunner().OnDpkgQuery("ghost", () => false);

        Assert.False(await new AptPackageInstaller(runner).IsInstalledAsync("ghost", CancellationToken.None));
    }

    [Fact]
    public async Task Real_dpkg_query_knows_installed_and_unknown_packages()
    {
        var apt = new AptPackageInstaller(new ProcessRunner());

        var dpkg = await apt.QueryAsync("dpkg", CancellationToken.None);
        var ghost = await apt.QueryAsync("mlops-no-such-package-xyz", CancellationToken.None);

        Assert.True(dpkg.IsInstalled, "dpkg itself is installed on every Debian system");
        Assert.Matches(@"^\d", dpkg.Version);
        Assert.False(ghost.IsInstalled);
    }

    [Fact]
    public async Task InstallMissing_installs_only_the_missing_packages_non_interactively()
    {
        var installed = new HashSet<string> { "present" };
        var runner = new FakeProcessRunner()
            .On("dpkg-query", ["-W"], s => installed.Contains(s.Arguments[^1])
                ? FakeProcessRunner.Ok("install ok installed\t1\n")
                : FakeProcessRunner.Fail(1, "no packages found"))
            .On("apt-get", ["install"], _ => FakeProcessRunner.Ok());

        var newlyInstalled = await new AptPackageInstaller(runner)
            .InstallMissingAsync(["present", "missing-a", "missing-b"], CancellationToken.None);

        Assert.Equal(["missing-a", "missing-b"], newlyInstalled);
        var install = runner.Calls.Single(c => c.FileName == "apt-get");
        Assert.Equal("apt-get install -y -o DPkg::Lock::Timeout=300 missing-a missing-b", install.CommandLine);
        Assert.Equal("noninteractive", install.Environment!["DEBIAN_FRONTEND"]);
    }

    [Fact]
    public async Task InstallMissing_runs_no_apt_when_everything_is_installed()
    {
        var runner = new FakeProcessRunner().OnDpkgQuery("present", () => true);

        var newlyInstalled = await new AptPackageInstaller(runner).InstallMissingAsync(["present"], CancellationToken.None);

        Assert.Empty(newlyInstalled);
        Assert.DoesNotContain(runner.Calls, c => c.FileName == "apt-get");
    }

    [Fact]
    public async Task Stale_index_runs_apt_get_update_then_retries_once()
    {
        var attempts = 0;
        var runner = new FakeProcessRunner()
            .On("apt-get", ["install"], _ => ++attempts == 1
                ? FakeProcessRunner.Fail(100, "Reading package lists...\nE: Unable to locate package dataset-fashion-mnist\n")
                : FakeProcessRunner.Ok())
            .On("apt-get", ["update"], _ => FakeProcessRunner.Ok());
        var log = new List<string>();

        await new AptPackageInstaller(runner, log.Add).InstallAsync(["dataset-fashion-mnist"], CancellationToken.None);

        Assert.Equal(["install", "update", "install"], runner.Calls.Select(c => c.Arguments[0]));
        Assert.Contains(log, l => l.Contains("stale", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failing_retry_after_update_names_the_command_the_error_and_the_manual_fix()
    {
        var runner = new FakeProcessRunner()
            .On("apt-get", ["install"], _ => FakeProcessRunner.Fail(100, "E: Unable to locate package dataset-fashion-mnist\n"))
            .On("apt-get", ["update"], _ => FakeProcessRunner.Ok());

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() =>
            new AptPackageInstaller(runner).InstallAsync(["dataset-fashion-mnist"], CancellationToken.None));

        Assert.Equal(3, runner.Calls.Count);
        Assert.Equal(
            "'apt-get install -y -o DPkg::Lock::Timeout=300 dataset-fashion-mnist' failed with exit code 100: " +
            "E: Unable to locate package dataset-fashion-mnist. Fix the cause and run: sudo apt-get install -y dataset-fashion-mnist",
            error.Message);
    }

    [Fact]
    public async Task Other_failures_do_not_trigger_an_index_update()
    {
        var runner = new FakeProcessRunner().On("apt-get", ["install"], _ =>
            FakeProcessRunner.Fail(100, "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"));

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() =>
            new AptPackageInstaller(runner).InstallAsync(["docker.io"], CancellationToken.None));

        Assert.Single(runner.Calls);
        Assert.Contains("Permission denied", error.Message);
    }

    [Fact]
    public async Task Reinstall_passes_the_reinstall_flag()
    {
        var runner = new FakeProcessRunner().On("apt-get", ["install"], _ => FakeProcessRunner.Ok());

        await new AptPackageInstaller(runner).InstallAsync(["dataset-fashion-mnist"], CancellationToken.None, reinstall: true);

        Assert.Equal("apt-get install -y --reinstall -o DPkg::Lock::Timeout=300 dataset-fashion-mnist", runner.Calls.Single().CommandLine);
    }

    [Fact]
    public async Task Apt_progress_noise_is_not_logged()
    {
        var runner = new FakeProcessRunner().On("apt-get", ["install"], spec =>
        {
            foreach (var line in new[] { "(Reading database ... 5%", "(Reading database ... 136763 files and directories currently installed.)", "", "Setting up x (1.0) ..." })
            {
                spec.OnOutputLine!(line);
            }

            return FakeProcessRunner.Ok();
        });
        var log = new List<string>();

        await new AptPackageInstaller(runner, log.Add).InstallAsync(["x"], CancellationToken.None);

        Assert.Equal(
            ["apt: (Reading database ... 136763 files and directories currently installed.)", "apt: Setting up x (1.0) ..."],
            log.Where(l => l.StartsWith("apt: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Missing_dpkg_query_means_not_Debian_and_says_so()
    {
        var runner = new FakeProcessRunner().On("dpkg-query", [], _ => throw new CommandNotFoundException("dpkg-query"));

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() =>
            new AptPackageInstaller(runner).QueryAsync("python3-onnx", CancellationToken.None));

        Assert.Contains("not a Debian-based system", error.Message);
    }
}
