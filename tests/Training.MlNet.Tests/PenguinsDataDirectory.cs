using System.Diagnostics;

namespace Training.MlNet.Tests;

/// <summary>
/// The root holding the extracted r-cran-palmerpenguins package: MLOPS_MODEL_DATA_DIR when set (Setup's directory),
/// otherwise a temporary directory this fetches it into with apt-get download and dpkg-deb, as Setup does.
/// </summary>
internal static class PenguinsDataDirectory
{
    public const string EnvironmentVariable = "MLOPS_MODEL_DATA_DIR";

    public static async Task<(ModelDataFiles Files, string? TemporaryRoot)> ResolveAsync(CancellationToken ct)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return (new ModelDataFiles(configured), null);

        var root = Directory.CreateTempSubdirectory("mlops-penguins-").FullName;
        var download = Path.Combine(root, "download");
        Directory.CreateDirectory(download);
        await RunAsync("apt-get", ["download", "r-cran-palmerpenguins"], download, ct);
        var package = Directory.GetFiles(download, "r-cran-palmerpenguins_*.deb").Single();
        await RunAsync("dpkg-deb", ["-x", package, Path.Combine(root, "r-cran-palmerpenguins")], download, ct);
        return (new ModelDataFiles(root), root);
    }

    private static async Task RunAsync(string program, string[] arguments, string directory, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}. "
                + $"Set {EnvironmentVariable} to a directory where ./build.sh Setup extracted r-cran-palmerpenguins instead.");
    }
}
