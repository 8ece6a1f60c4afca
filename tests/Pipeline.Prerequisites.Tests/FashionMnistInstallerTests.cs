namespace Pipeline.Prerequisites.Tests;

public sealed class FashionMnistInstallerTests : IDisposable
{
    private const string GzippedList =
        "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz";

    private readonly TempDirectory work = new();

    public void Dispose() => work.Dispose();

    private static FashionMnistInstaller Installer(
        IProcessRunner runner, HostSystem host, string? directory = null, string? defaultDirectory = null, Func<string, string?>? environment = null) =>
        new(new AptPackageInstaller(runner), host, environment ?? (_ => null), directory,
            defaultDirectory ?? FashionMnistInstaller.DebianPackageDirectory);

    /// <summary>apt-get install "unpacks" the package: the four files appear in its directory.</summary>
    private static FakeProcessRunner AptInstallingTheFiles(string packageDirectory, bool installedBefore) => new FakeProcessRunner()
        .OnDpkgQuery("dataset-fashion-mnist", () => installedBefore)
        .On("apt-get", ["install"], _ =>
        {
            IdxFiles.WriteAllGzipped(packageDirectory);
            return FakeProcessRunner.Ok();
        });

    [Fact]
    public async Task The_real_Debian_package_files_are_present_and_valid()
    {
        // Not root and a runner that refuses everything: this only looks, it never installs.
        var result = await Installer(new FakeProcessRunner(), Hosts.UserDebian).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Equal("/usr/share/datasets/fashion-mnist", result.Detail("directory"));
        Assert.Equal(GzippedList, result.Detail("files"));
    }

    [Fact]
    public async Task Given_directory_with_gzipped_files_is_present()
    {
        IdxFiles.WriteAllGzipped(work.Path);

        var result = await Installer(new FakeProcessRunner(), Hosts.UserDebian, work.Path).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Equal($"found in {work.Path}", result.Message);
        Assert.Equal(GzippedList, result.Detail("files"));
    }

    [Fact]
    public async Task Uncompressed_files_are_accepted_when_their_length_is_right()
    {
        foreach (var spec in FashionMnistInstaller.Files)
        {
            IdxFiles.WriteRaw(work.Path, spec);
        }

        var result = await Installer(new FakeProcessRunner(), Hosts.UserDebian, work.Path).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Equal(GzippedList.Replace(".gz", ""), result.Detail("files"));
    }

    [Fact]
    public async Task Truncated_uncompressed_file_is_refused_with_its_length()
    {
        IdxFiles.WriteAllGzipped(work.Path);
        File.Delete(work.File("t10k-labels-idx1-ubyte.gz"));
        IdxFiles.WriteRaw(work.Path, FashionMnistInstaller.Files[3], length: 5000);

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(new FakeProcessRunner(), Hosts.UserDebian, work.Path).EnsureAsync(CancellationToken.None));

        Assert.StartsWith($"{work.File("t10k-labels-idx1-ubyte")} is not the Fashion-MNIST t10k-labels-idx1-ubyte IDX file: 5000 bytes, expected 10008.", error.Message);
    }

    [Fact]
    public async Task Wrong_magic_number_is_refused_naming_the_file()
    {
        IdxFiles.WriteAllGzipped(work.Path);
        IdxFiles.WriteGzipped(work.Path, FashionMnistInstaller.Files[0], magic: 0x0801);

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(new FakeProcessRunner(), Hosts.UserDebian, work.Path).EnsureAsync(CancellationToken.None));

        Assert.Contains("train-images-idx3-ubyte.gz is not the Fashion-MNIST train-images-idx3-ubyte IDX file: magic number 0x00000801, expected 0x00000803", error.Message);
    }

    [Fact]
    public async Task File_that_is_not_gzip_is_refused()
    {
        IdxFiles.WriteAllGzipped(work.Path);
        File.WriteAllText(work.File("train-labels-idx1-ubyte.gz"), "<html>404 Not Found</html>");

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(new FakeProcessRunner(), Hosts.UserDebian, work.Path).EnsureAsync(CancellationToken.None));

        Assert.Contains("train-labels-idx1-ubyte.gz is not the Fashion-MNIST train-labels-idx1-ubyte IDX file: unreadable header", error.Message);
    }

    [Fact]
    public async Task Missing_files_in_a_given_directory_fail_with_the_fix_and_never_run_apt()
    {
        IdxFiles.WriteGzipped(work.Path, FashionMnistInstaller.Files[0]);
        var runner = new FakeProcessRunner();

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(runner, Hosts.RootDebian, work.Path).EnsureAsync(CancellationToken.None));

        Assert.Equal(
            $"Fashion-MNIST not found in {work.Path}: sudo apt-get install dataset-fashion-mnist, or pass --dataset-dir DIR " +
            "holding the four IDX files (missing: train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])",
            error.Message);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void Directory_comes_from_the_parameter_then_FASHION_MNIST_DIR_then_the_default()
    {
        Func<string, string?> environment = name => name == "FASHION_MNIST_DIR" ? "/from/env" : null;

        Assert.Equal("/given", Installer(new FakeProcessRunner(), Hosts.UserDebian, "/given", environment: environment).DatasetDirectory);
        Assert.Equal("/from/env", Installer(new FakeProcessRunner(), Hosts.UserDebian, environment: environment).DatasetDirectory);
        Assert.Equal("/usr/share/datasets/fashion-mnist", Installer(new FakeProcessRunner(), Hosts.UserDebian).DatasetDirectory);
    }

    // An installed package whose files were deleted needs --reinstall: a plain install would do nothing.
    [Theory]
    [InlineData(false, "apt-get install -y -o DPkg::Lock::Timeout=300 dataset-fashion-mnist")]
    [InlineData(true, "apt-get install -y --reinstall -o DPkg::Lock::Timeout=300 dataset-fashion-mnist")]
    public async Task Default_directory_is_installed_with_apt_as_root_on_Debian(bool installedBefore, string expectedCommand)
    {
        var packageDirectory = work.Subdirectory("usr-share-datasets-fashion-mnist");
        var runner = AptInstallingTheFiles(packageDirectory, installedBefore);

        var result = await Installer(runner, Hosts.RootDebian, defaultDirectory: packageDirectory).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Installed, result.Status);
        Assert.Equal(GzippedList, result.Detail("files"));
        var install = runner.Calls.Single(c => c.FileName == "apt-get");
        Assert.Equal(expectedCommand, install.CommandLine);
        Assert.Equal("noninteractive", install.Environment!["DEBIAN_FRONTEND"]);
    }

    [Theory]
    [InlineData(false, "not running as root")]
    [InlineData(true, "this is Fedora Linux 40 (Workstation Edition), not Debian or Ubuntu")]
    public async Task Default_directory_where_apt_is_not_allowed_explains_why_it_did_not_install(bool rootOnFedora, string why)
    {
        var packageDirectory = work.Subdirectory("fashion-mnist");
        var runner = new FakeProcessRunner();

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() =>
            Installer(runner, rootOnFedora ? Hosts.RootFedora : Hosts.UserDebian, defaultDirectory: packageDirectory)
                .EnsureAsync(CancellationToken.None));

        Assert.StartsWith(
            $"Fashion-MNIST not found in {packageDirectory} ({why}, so not installing): sudo apt-get install dataset-fashion-mnist, " +
            "or pass --dataset-dir DIR holding the four IDX files",
            error.Message);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Package_that_installs_no_files_is_reported()
    {
        var packageDirectory = work.Subdirectory("fashion-mnist");
        var runner = new FakeProcessRunner()
            .OnDpkgQuery("dataset-fashion-mnist", () => false)
            .On("apt-get", ["install"], _ => FakeProcessRunner.Ok());

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(runner, Hosts.RootDebian, defaultDirectory: packageDirectory).EnsureAsync(CancellationToken.None));

        Assert.Contains("dataset-fashion-mnist was installed but", error.Message);
        Assert.Contains("dpkg -L dataset-fashion-mnist", error.Message);
    }
}
