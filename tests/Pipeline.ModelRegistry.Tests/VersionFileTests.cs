namespace Pipeline.ModelRegistry.Tests;

/// <summary>Files kept with a version (its drift baseline): each version finds its own, and only known versions take one.</summary>
public sealed class VersionFileTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();

    [Fact]
    public async Task Each_version_returns_its_own_file_from_a_fresh_instance()
    {
        string first, second;
        using (var registry = _directory.Open())
        {
            first = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")))).VersionId;
            second = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")))).VersionId;
            await registry.PutVersionFileAsync(first, "drift-baseline.json", Write("first.json", "{\"v\":1}"));
            await registry.PutVersionFileAsync(second, "drift-baseline.json", Write("second.json", "{\"v\":2}"));
        }

        using var reopened = _directory.Open();
        var exported = Path.Combine(_directory.Directory, "out", "drift-baseline.json");
        Assert.True(await reopened.ExportVersionFileAsync(first, "drift-baseline.json", exported));
        Assert.Equal("{\"v\":1}", File.ReadAllText(exported));
        Assert.True(await reopened.ExportVersionFileAsync(second, "drift-baseline.json", exported));
        Assert.Equal("{\"v\":2}", File.ReadAllText(exported));
        // The version records are untouched: the files are not versions.
        Assert.Equal(2, (await reopened.ListVersionsAsync()).Count);
    }

    [Fact]
    public async Task A_version_without_the_file_exports_nothing()
    {
        using var registry = _directory.Open();
        var version = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        var exported = Path.Combine(_directory.Directory, "out", "drift-baseline.json");
        Assert.False(await registry.ExportVersionFileAsync(version.VersionId, "drift-baseline.json", exported));
        Assert.False(File.Exists(exported));
    }

    [Fact]
    public async Task Unknown_versions_and_path_names_are_refused()
    {
        using var registry = _directory.Open();
        var source = Write("x.json", "{}");
        var e = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.PutVersionFileAsync("9.9.9", "drift-baseline.json", source));
        Assert.Equal(ModelRegistryError.VersionNotFound, e.Error);
        var version = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.PutVersionFileAsync(version.VersionId, "../escape.json", source));
    }

    public void Dispose() => _directory.Dispose();

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory.Directory, "sources", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
