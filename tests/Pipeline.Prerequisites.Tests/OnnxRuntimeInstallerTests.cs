namespace Pipeline.Prerequisites.Tests;

public sealed class OnnxRuntimeInstallerTests : IDisposable
{
    private readonly TempDirectory work = new();
    private readonly List<string> log = [];

    public void Dispose() => work.Dispose();

    private string InstallDirectory => Path.Combine(work.Path, "cache", "onnxruntime", "1.30.0", "linux-x64");

    private string LibraryPath => Path.Combine(InstallDirectory, "libonnxruntime.so.1");

    private OnnxRuntimeInstaller Installer(IProcessRunner runner, OnnxRuntimePin pin, Func<string, string?>? environment = null) =>
        new(new NpmPackDownloader(runner, log.Add), environment ?? (_ => null), pin, InstallDirectory, log.Add);

    [Fact]
    public async Task Installs_the_verified_library_atomically_and_reports_it()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);
        var npm = package.Npm();

        var result = await Installer(npm, package.Pin).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Installed, result.Status);
        Assert.Equal(package.Library, File.ReadAllBytes(LibraryPath));
        Assert.Equal([LibraryPath], Directory.GetFiles(InstallDirectory));
        Assert.Equal(LibraryPath, result.Detail("path"));
        Assert.Equal("1.30.0", result.Detail("version"));
        Assert.Equal(package.Pin.LibrarySha256, result.Detail("sha256"));
        var pack = npm.Calls.Single();
        Assert.Equal(["pack", "onnxruntime-node@1.30.0", "--pack-destination"], pack.Arguments.Take(3));
        Assert.False(Directory.Exists(pack.Arguments[3]), "npm's temporary pack directory must be removed");
        Assert.Contains(log, l => l.StartsWith("Downloading onnxruntime-node@1.30.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Second_run_finds_it_without_calling_npm()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);
        await Installer(package.Npm(), package.Pin).EnsureAsync(CancellationToken.None);
        var secondNpm = new FakeProcessRunner();

        var result = await Installer(secondNpm, package.Pin).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Empty(secondNpm.Calls);
    }

    [Fact]
    public async Task Corrupted_library_is_reinstalled()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);
        Directory.CreateDirectory(InstallDirectory);
        File.WriteAllBytes(LibraryPath, package.Library.AsSpan(0, 1000).ToArray());

        var result = await Installer(package.Npm(), package.Pin).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Installed, result.Status);
        Assert.Equal(package.Library, File.ReadAllBytes(LibraryPath));
        Assert.Contains(log, l => l.Contains("reinstalling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Library_hash_mismatch_installs_nothing_and_names_expected_and_actual()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);

        var error = await InstallWithAsync(package, package.Pin with { LibrarySha256 = new string('0', 64) });

        Assert.Equal(
            $"package/bin/napi-v6/linux/x64/libonnxruntime.so.1 from onnxruntime-node@1.30.0 has SHA-256 {package.Pin.LibrarySha256}, " +
            $"expected {new string('0', 64)}: nothing was installed; check OnnxRuntimePin.LibrarySha256",
            error.Message);
        Assert.Empty(Directory.GetFiles(InstallDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Library_hash_mismatch_keeps_the_previous_file_untouched()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);
        Directory.CreateDirectory(InstallDirectory);
        File.WriteAllText(LibraryPath, "previous");

        await InstallWithAsync(package, package.Pin with { LibrarySha256 = new string('1', 64) });

        Assert.Equal([LibraryPath], Directory.GetFiles(InstallDirectory));
        Assert.Equal("previous", File.ReadAllText(LibraryPath));
    }

    [Fact]
    public async Task Tarball_hash_mismatch_names_expected_and_actual()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);

        var error = await InstallWithAsync(package, package.Pin with { TarballSha256 = new string('a', 64) });

        Assert.StartsWith(
            $"npm package onnxruntime-node@1.30.0 has SHA-256 {package.Pin.TarballSha256}, expected {new string('a', 64)}",
            error.Message);
        Assert.False(File.Exists(LibraryPath));
    }

    [Fact]
    public async Task Tarball_without_the_pinned_entry_names_the_entry()
    {
        var package = new FakeOnnxRuntimePackage(work.Path, includeLibrary: false);

        var error = await InstallWithAsync(package, package.Pin);

        Assert.Contains("has no file package/bin/napi-v6/linux/x64/libonnxruntime.so.1", error.Message);
        Assert.Empty(Directory.GetFiles(InstallDirectory));
    }

    [Fact]
    public async Task Missing_npm_says_how_to_get_it()
    {
        var runner = new FakeProcessRunner().On("npm", [], _ => throw new CommandNotFoundException("npm"));

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(runner, OnnxRuntimePin.Current).EnsureAsync(CancellationToken.None));

        Assert.Equal("npm not found: apt-get install npm (or install Node.js)", error.Message);
    }

    [Fact]
    public async Task Failing_npm_pack_reports_the_command_and_npms_error()
    {
        var runner = new FakeProcessRunner().On("npm", ["pack"], _ =>
            FakeProcessRunner.Fail(1, "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/onnxruntime-node\n"));

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(runner, OnnxRuntimePin.Current).EnsureAsync(CancellationToken.None));

        Assert.StartsWith("'npm pack onnxruntime-node@1.30.0 --pack-destination /tmp/", error.Message);
        Assert.Contains("failed with exit code 1: npm error code E404 | npm error 404 Not Found", error.Message);
    }

    [Fact]
    public async Task Slow_download_logs_that_it_is_still_running()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);
        var slowNpm = new FakeProcessRunner().OnAsync("npm", ["pack"], async spec =>
        {
            await Task.Delay(300);
            File.Copy(package.TarballPath, Path.Combine(spec.Arguments[3], "onnxruntime-node-1.30.0.tgz"));
            return FakeProcessRunner.Ok();
        });
        var installer = new OnnxRuntimeInstaller(
            new NpmPackDownloader(slowNpm, log.Add, heartbeatInterval: TimeSpan.FromMilliseconds(50)),
            _ => null, package.Pin, InstallDirectory, log.Add);

        await installer.EnsureAsync(CancellationToken.None);

        Assert.Contains(log, l => l.Contains("still downloading onnxruntime-node@1.30.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Override_with_the_pinned_hash_is_used_and_said_to_match()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);
        var custom = work.File("custom-libonnxruntime.so.1");
        File.WriteAllBytes(custom, package.Library);
        var npm = new FakeProcessRunner();

        var result = await Installer(npm, package.Pin, Env(custom)).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Equal($"ONNXRUNTIME_LIBRARY={custom}; SHA-256 matches the pinned 1.30.0 linux-x64 build", result.Message);
        Assert.Equal(custom, result.Detail("path"));
        Assert.Empty(npm.Calls);
        Assert.False(Directory.Exists(InstallDirectory));
    }

    [Fact]
    public async Task Override_with_another_hash_is_used_but_the_difference_is_reported()
    {
        var package = new FakeOnnxRuntimePackage(work.Path);
        var custom = work.File("custom-build.so");
        File.WriteAllText(custom, "a custom build");

        var result = await Installer(new FakeProcessRunner(), package.Pin, Env(custom)).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.AlreadyPresent, result.Status);
        Assert.Contains($"used as is; its SHA-256 {result.Detail("sha256")} differs from the pinned 1.30.0", result.Message);
        Assert.NotEqual(package.Pin.LibrarySha256, result.Detail("sha256"));
    }

    [Fact]
    public async Task Override_pointing_nowhere_fails_with_the_fix()
    {
        var absent = work.File("absent.so");

        var error = await Assert.ThrowsAsync<PrerequisiteException>(
            () => Installer(new FakeProcessRunner(), OnnxRuntimePin.Current, Env(absent)).EnsureAsync(CancellationToken.None));

        Assert.Equal(
            $"ONNXRUNTIME_LIBRARY={absent} does not exist: point it at an existing libonnxruntime.so.1, " +
            "or unset ONNXRUNTIME_LIBRARY to install the pinned library",
            error.Message);
    }

    [Fact]
    public void Default_location_follows_XDG_CACHE_HOME_then_HOME()
    {
        var pin = OnnxRuntimePin.Current;
        Func<string, string?> xdg = name => name switch { "XDG_CACHE_HOME" => "/x/cache", "HOME" => "/home/u", _ => null };
        Func<string, string?> relativeXdg = name => name switch { "XDG_CACHE_HOME" => "rel", "HOME" => "/home/u", _ => null };
        Func<string, string?> home = name => name == "HOME" ? "/home/u" : null;

        Assert.Equal("/x/cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64", OnnxRuntimeLocation.DefaultDirectory(pin, xdg));
        Assert.Equal("/home/u/.cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64", OnnxRuntimeLocation.DefaultDirectory(pin, relativeXdg));
        Assert.Equal("/home/u/.cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1", OnnxRuntimeLocation.LibraryPath(pin, home));
        Assert.Equal("/opt/ort.so", OnnxRuntimeLocation.LibraryPath(pin, n => n == "ONNXRUNTIME_LIBRARY" ? "/opt/ort.so" : home(n)));
        var error = Assert.Throws<PrerequisiteException>(() => OnnxRuntimeLocation.DefaultDirectory(pin, _ => null));
        Assert.Contains("set XDG_CACHE_HOME", error.Message);
    }

    [Fact]
    public void Pin_describes_the_library_file_and_npm_spec()
    {
        Assert.Equal("libonnxruntime.so.1", OnnxRuntimePin.Current.LibraryFileName);
        Assert.Equal("onnxruntime-node@1.30.0", OnnxRuntimePin.Current.NpmSpec);
    }

    private Task<PrerequisiteException> InstallWithAsync(FakeOnnxRuntimePackage package, OnnxRuntimePin pin) =>
        Assert.ThrowsAsync<PrerequisiteException>(() => Installer(package.Npm(), pin).EnsureAsync(CancellationToken.None));

    private static Func<string, string?> Env(string library) =>
        name => name == OnnxRuntimeLocation.OverrideVariable ? library : null;
}
