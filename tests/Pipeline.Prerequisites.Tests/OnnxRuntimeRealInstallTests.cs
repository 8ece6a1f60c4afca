namespace Pipeline.Prerequisites.Tests;

/// <summary>The real thing: npm downloads the pinned package (about 113 MB) and the real hashes must match.</summary>
public sealed class OnnxRuntimeRealInstallTests
{
    [Fact]
    public async Task Installs_the_pinned_library_from_npm_into_an_empty_cache()
    {
        using var cache = new TempDirectory();
        // The override variable is left out: the Test target sets it for every test project, and this test installs for real.
        Func<string, string?> environment = name => name switch
        {
            "XDG_CACHE_HOME" => cache.Path,
            OnnxRuntimeLocation.OverrideVariable => null,
            _ => Environment.GetEnvironmentVariable(name),
        };
        var runner = new ProcessRunner();
        var log = new List<string>();
        OnnxRuntimeInstaller Installer() =>
            new(new NpmPackDownloader(runner, log.Add), environment, OnnxRuntimePin.Current, installDirectory: null, log.Add);

        var installed = await Installer().EnsureAsync(CancellationToken.None);
        var again = await Installer().EnsureAsync(CancellationToken.None);

        var expectedPath = Path.Combine(cache.Path, "mlops-pipeline/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1");
        Assert.Equal(PrerequisiteStatus.Installed, installed.Status);
        Assert.Equal(expectedPath, installed.Detail("path"));
        Assert.Equal(OnnxRuntimePin.Current.LibrarySha256, await FileSha256.ComputeAsync(expectedPath, CancellationToken.None));
        Assert.Equal([expectedPath], Directory.GetFiles(Path.GetDirectoryName(expectedPath)!));
        Assert.Equal(PrerequisiteStatus.AlreadyPresent, again.Status);
        Assert.Single(log, l => l.StartsWith("Downloading", StringComparison.Ordinal));
    }
}
