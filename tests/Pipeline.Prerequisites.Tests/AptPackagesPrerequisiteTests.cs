namespace Pipeline.Prerequisites.Tests;

public sealed class AptPackagesPrerequisiteTests
{
    private static readonly string[] OnnxTools = ["python3-onnx", "libonnx-testdata"];

    private static FakeProcessRunner Dpkg(ISet<string> installed) => new FakeProcessRunner()
        .On("dpkg-query", ["-W"], s => installed.Contains(s.Arguments[^1])
            ? FakeProcessRunner.Ok("install ok installed\t1.12.0-2\n")
            : FakeProcessRunner.Fail(1, "no packages found"));

    [Fact]
    public async Task The_real_ONNX_test_tools_are_installed_on_this_machine()
    {
        var apt = new AptPackageInstaller(new ProcessRunner());
        // Not root, so a missing package fails with its install command instead of being installed by a test.
        var prerequisite = new AptPackagesPrerequisite("ONNX test tools", OnnxTools, "reference checker", apt, Hosts.UserDebian);

        var result = await prerequisite.EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Matches(@"^python3-onnx \d\S*, libonnx-testdata \d\S*$", result.Detail("packages"));
    }

    [Fact]
    public async Task Installs_missing_packages_as_root_on_Debian()
    {
        var installed = new HashSet<string> { "python3-onnx" };
        var runner = Dpkg(installed).On("apt-get", ["install"], s =>
        {
            installed.UnionWith(s.Arguments.Skip(4));
            return FakeProcessRunner.Ok();
        });
        var prerequisite = new AptPackagesPrerequisite("ONNX test tools", OnnxTools, "test models", new AptPackageInstaller(runner), Hosts.RootDebian);

        var result = await prerequisite.EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Installed, result.Status);
        Assert.Equal("installed libonnx-testdata (test models)", result.Message);
        Assert.Contains(runner.CommandLines, c => c.EndsWith("Timeout=300 libonnx-testdata", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Not_root_fails_with_the_exact_install_command_for_the_missing_packages()
    {
        var runner = Dpkg(new HashSet<string>());
        var prerequisite = new AptPackagesPrerequisite("ONNX test tools", OnnxTools, "test models", new AptPackageInstaller(runner), Hosts.UserDebian);

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => prerequisite.EnsureAsync(CancellationToken.None));

        Assert.Equal(
            "ONNX test tools: missing python3-onnx, libonnx-testdata (test models) and not running as root: " +
            "sudo apt-get install -y python3-onnx libonnx-testdata",
            error.Message);
        Assert.DoesNotContain(runner.Calls, c => c.FileName == "apt-get");
    }

    [Fact]
    public async Task Not_Debian_fails_without_running_dpkg()
    {
        var runner = new FakeProcessRunner();
        var prerequisite = new AptPackagesPrerequisite("ONNX test tools", OnnxTools, "test models", new AptPackageInstaller(runner), Hosts.RootFedora);

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => prerequisite.EnsureAsync(CancellationToken.None));

        Assert.Contains("Fedora", error.Message);
        Assert.Contains("python3-onnx, libonnx-testdata", error.Message);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Apt_success_without_the_package_is_reported_not_trusted()
    {
        var runner = Dpkg(new HashSet<string>()).On("apt-get", ["install"], _ => FakeProcessRunner.Ok());
        var prerequisite = new AptPackagesPrerequisite("ONNX test tools", ["python3-onnx"], "checker", new AptPackageInstaller(runner), Hosts.RootDebian);

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => prerequisite.EnsureAsync(CancellationToken.None));

        Assert.Contains("still not installed", error.Message);
    }
}
