using System.Diagnostics;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>build.sh run for real, in a copy of the repository's bootstrap files, with the PATH it would meet.</summary>
public sealed class BootstrapScriptTests : IDisposable
{
    private readonly TemporaryDirectory _copy = new();

    public BootstrapScriptTests()
    {
        var root = RepositoryRoot.Find();
        File.Copy(Path.Combine(root, "build.sh"), _copy.File("build.sh"));
        File.Copy(Path.Combine(root, "global.json"), _copy.File("global.json"));
        Directory.CreateDirectory(_copy.File(".nuke"));
    }

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task Without_dotnet_on_PATH_it_says_how_to_install_the_sdk()
    {
        // /bin is /usr/bin on Debian, which holds dotnet: give the script only the tools it uses.
        var bin = Directory.CreateDirectory(_copy.File("bin")).FullName;
        foreach (var tool in new[] { "sed", "head", "cat", "find", "dirname", "mkdir", "touch", "mv", "grep", "sort" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), Path.Combine("/usr/bin", tool));

        var (exitCode, output) = await RunAsync(path: bin);

        Assert.Equal(1, exitCode);
        Assert.Contains("'dotnet' is not on PATH", output);
        Assert.Contains("dotnet-install.sh", output);
        Assert.Contains("--channel 10.0", output);
    }

    [Fact]
    public async Task With_an_sdk_that_does_not_satisfy_global_json_it_lists_the_installed_ones()
    {
        File.WriteAllText(_copy.File("global.json"), """{ "sdk": { "version": "99.0.100", "rollForward": "latestFeature" } }""");

        var (exitCode, output) = await RunAsync(path: Environment.GetEnvironmentVariable("PATH")!);

        Assert.Equal(1, exitCode);
        Assert.Contains("has no SDK that satisfies global.json", output);
        Assert.Contains("installed SDKs:", output);
        Assert.Contains("99.0.100", output);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string path)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _copy.Path };
        start.ArgumentList.Add(_copy.File("build.sh"));
        start.ArgumentList.Add("--help");
        start.Environment["PATH"] = path;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
