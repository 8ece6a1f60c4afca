namespace Pipeline.Prerequisites.Tests;

/// <summary>A model's data package is downloaded and unpacked for real (no R, nothing installed), once, whole or not at all.</summary>
public sealed class DebianDataPackageTests : IDisposable
{
    private const string Package = "r-cran-palmerpenguins";
    private const string PenguinsCsv = "usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv";

    private readonly TempDirectory work = new();

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task The_package_is_unpacked_once_and_its_file_is_there()
    {
        var runner = new CountingRunner(new ProcessRunner());
        var prerequisite = new DebianDataPackage(runner, work.Path, Package, [PenguinsCsv]);

        var first = await prerequisite.EnsureAsync(CancellationToken.None);
        var second = await prerequisite.EnsureAsync(CancellationToken.None);

        Assert.Equal(PrerequisiteStatus.Installed, first.Status);
        Assert.Equal(PrerequisiteStatus.AlreadyPresent, second.Status);
        var csv = Path.Combine(work.Path, Package, PenguinsCsv);
        Assert.StartsWith("species,island,bill_length_mm", File.ReadLines(csv).First());
        Assert.Equal(345, File.ReadLines(csv).Count());
        Assert.Equal(2, runner.Calls); // one download, one dpkg-deb; the second call only looked
        Assert.Equal([Package], Directory.GetDirectories(work.Path).Select(Path.GetFileName)); // no temporary directory left
    }

    [Fact]
    public async Task A_path_the_package_does_not_ship_is_named()
    {
        var prerequisite = new DebianDataPackage(new ProcessRunner(), work.Path, Package, ["usr/share/penguins.parquet"]);

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => prerequisite.EnsureAsync(CancellationToken.None));

        Assert.Contains("lacks usr/share/penguins.parquet", error.Message);
        Assert.Contains("dpkg-deb -c", error.Message);
    }

    [Fact]
    public async Task A_package_apt_does_not_know_fails_with_the_command_and_leaves_nothing_behind()
    {
        var prerequisite = new DebianDataPackage(new ProcessRunner(), work.Path, "r-cran-no-such-package-here", ["x.csv"]);

        var error = await Assert.ThrowsAsync<PrerequisiteException>(() => prerequisite.EnsureAsync(CancellationToken.None));

        Assert.Contains("apt-get download r-cran-no-such-package-here failed", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    private sealed class CountingRunner(IProcessRunner inner) : IProcessRunner
    {
        public int Calls { get; private set; }

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.RunAsync(spec, cancellationToken);
        }
    }
}
