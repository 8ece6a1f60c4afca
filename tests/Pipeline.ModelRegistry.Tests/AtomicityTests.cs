namespace Pipeline.ModelRegistry.Tests;

/// <summary>A writer that dies after its temp file is complete but before the rename, or leaves a truncated temp
/// file behind, must leave the registry reading its previous consistent state and accepting the next write.</summary>
public sealed class AtomicityTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();

    [Fact]
    public async Task A_crash_before_a_version_record_is_renamed_leaves_the_previous_versions()
    {
        using (var registry = _directory.Open()) await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        using var crashing = _directory.OpenFailingBeforeCommit(target => target.Contains("versions"));

        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.RegisterAsync(Registrations.Passing(_directory.WriteModel("b"))));

        using var registryAfter = _directory.Open();
        Assert.Equal(["1.0.1+3f2a9c1"], (await registryAfter.ListVersionsAsync()).Select(v => v.VersionId));
        Assert.Empty(_directory.TemporaryFilesUnder("versions"));
        var next = await registryAfter.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")));
        Assert.Equal("1.0.2+3f2a9c1", next.VersionId);
    }

    [Fact]
    public async Task A_crash_before_a_blob_is_renamed_records_no_version()
    {
        using var crashing = _directory.OpenFailingBeforeCommit(target => target.Contains("blobs"));

        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.RegisterAsync(Registrations.Passing(_directory.WriteModel("a"))));

        using var registry = _directory.Open();
        Assert.Empty(await registry.ListVersionsAsync());
        Assert.Empty(Directory.GetFiles(_directory.PathIn("blobs", "sha256")));
        var version = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        await registry.VerifyBlobAsync(version.VersionId);
    }

    [Fact]
    public async Task A_crash_before_an_environment_record_is_renamed_keeps_production_and_history()
    {
        string v1, v2;
        using (var registry = _directory.Open())
        {
            v1 = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")))).VersionId;
            v2 = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")))).VersionId;
            await registry.PromoteAsync("local", v1, "r1", null);
        }
        using var crashing = _directory.OpenFailingBeforeCommit(target => target.Contains("environments"));

        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.PromoteAsync("local", v2, "r2", null));

        using var registryAfter = _directory.Open();
        Assert.Equal(v1, (await registryAfter.GetProductionAsync("local"))!.VersionId);
        Assert.Single(await registryAfter.GetHistoryAsync("local"));
        await registryAfter.PromoteAsync("local", v2, "r2 retried", null);
        Assert.Equal([v1, v2], (await registryAfter.GetHistoryAsync("local")).Select(e => e.Version));
    }

    [Fact]
    public async Task Truncated_temp_files_left_by_a_killed_writer_are_never_read_and_are_cleaned_up_by_the_next_write()
    {
        string v1;
        using (var registry = _directory.Open())
        {
            v1 = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")))).VersionId;
            await registry.PromoteAsync("local", v1, "r1", null);
        }
        var versionRecord = File.ReadAllText(_directory.PathIn("versions", v1 + ".json"));
        var environmentRecord = File.ReadAllText(_directory.PathIn("environments", "local.json"));
        // What a process killed mid-write leaves: the start of a record or a blob under a temp name.
        var strayVersion = _directory.PathIn("versions", ".1.0.2+3f2a9c1.json.0123456789abcdef0123456789abcdef.tmp");
        var strayEnvironment = _directory.PathIn("environments", ".local.json.0123456789abcdef0123456789abcdef.tmp");
        var abandonedBlob = _directory.PathIn("blobs", "sha256", ".incoming.0123456789abcdef0123456789abcdef.tmp");
        var inFlightBlob = _directory.PathIn("blobs", "sha256", ".incoming.fedcba9876543210fedcba9876543210.tmp");
        File.WriteAllText(strayVersion, versionRecord[..(versionRecord.Length / 2)]);
        File.WriteAllText(strayEnvironment, environmentRecord[..(environmentRecord.Length / 3)]);
        File.WriteAllBytes(abandonedBlob, new byte[100]);
        File.SetLastWriteTimeUtc(abandonedBlob, DateTime.UtcNow - TimeSpan.FromHours(2));
        File.WriteAllBytes(inFlightBlob, new byte[100]);

        using var registryAfter = _directory.Open();
        Assert.Equal([v1], (await registryAfter.ListVersionsAsync()).Select(v => v.VersionId));
        Assert.Equal(v1, (await registryAfter.GetProductionAsync("local"))!.VersionId);
        Assert.Single(await registryAfter.GetHistoryAsync("local"));
        Assert.Equal(["local"], (await registryAfter.ListEnvironmentsAsync()).Select(e => e.Environment));

        var v2 = (await registryAfter.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")))).VersionId;
        await registryAfter.PromoteAsync("local", v2, "r2", null);

        Assert.Equal("1.0.2+3f2a9c1", v2);
        Assert.Equal([v1, v2], (await registryAfter.GetHistoryAsync("local")).Select(e => e.Version));
        Assert.False(File.Exists(strayVersion));
        Assert.False(File.Exists(strayEnvironment));
        Assert.False(File.Exists(abandonedBlob));
        Assert.True(File.Exists(inFlightBlob), "a young blob temp file may belong to a writer still copying; it must be left alone");
    }

    [Fact]
    public async Task A_record_damaged_outside_the_registry_is_reported_with_its_path()
    {
        using var registry = _directory.Open();
        var v1 = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")))).VersionId;
        var path = _directory.PathIn("versions", v1 + ".json");
        File.WriteAllText(path, File.ReadAllText(path)[..40]);

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.GetVersionAsync(v1));

        Assert.Equal(ModelRegistryError.CorruptRecord, error.Error);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task A_record_copied_under_another_name_is_refused()
    {
        using var registry = _directory.Open();
        var v1 = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")))).VersionId;
        File.Copy(_directory.PathIn("versions", v1 + ".json"), _directory.PathIn("versions", "9.9.9.json"));

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.GetVersionAsync("9.9.9"));

        Assert.Equal(ModelRegistryError.CorruptRecord, error.Error);
        Assert.Contains($"holds '{v1}', not '9.9.9'", error.Message);
    }

    [Fact]
    public async Task A_record_from_a_newer_schema_is_refused_rather_than_misread()
    {
        using var registry = _directory.Open();
        var v1 = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")))).VersionId;
        var path = _directory.PathIn("versions", v1 + ".json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.GetVersionAsync(v1));

        Assert.Equal(ModelRegistryError.UnsupportedSchema, error.Error);
        Assert.Contains("schema version 2, newer than the 1 this library reads", error.Message);
    }

    public void Dispose() => _directory.Dispose();
}
