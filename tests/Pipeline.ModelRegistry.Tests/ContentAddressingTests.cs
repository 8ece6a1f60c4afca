namespace Pipeline.ModelRegistry.Tests;

/// <summary>Generated version ids are content-addressed: a version number means different bytes (or a different gate verdict).</summary>
public sealed class ContentAddressingTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();

    [Fact]
    public async Task The_same_bytes_and_gate_verdicts_from_a_rerun_return_the_existing_version_unchanged()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a");
        var first = await registry.RegisterAsync(Registrations.Passing(model));
        _directory.Clock.Advance(TimeSpan.FromHours(1));

        // What a rerun of Validate on unchanged bytes hands over: re-measured values and another commit.
        var rerun = Registrations.Passing(model, sourceRevision: "c53ded0aaaaaaaaa") with
        {
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.885, ["p99_latency_ms"] = 1.71 },
            Gates = [new GateResult("accuracy", 0.85, 0.8851, true)],
        };
        var again = await registry.RegisterAsync(rerun);

        Assert.Equal(first, again, new ModelVersionComparer());
        Assert.Equal(1.25, again.Metrics["p99_latency_ms"]);
        Assert.Equal(["1.0.1+3f2a9c1"], (await registry.ListVersionsAsync()).Select(v => v.VersionId));
    }

    [Fact]
    public async Task Different_bytes_get_a_new_version()
    {
        using var registry = _directory.Open();
        var first = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));

        var other = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")));

        Assert.NotEqual(first.Sha256, other.Sha256);
        Assert.Equal("1.0.2+3f2a9c1", other.VersionId);
        Assert.Equal(2, (await registry.ListVersionsAsync()).Count);
    }

    [Fact]
    public async Task The_same_bytes_under_another_gate_verdict_get_a_new_version_that_records_it()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a");
        var failedStricterGate = await registry.RegisterAsync(Registrations.Passing(model) with
        {
            Gates = [new GateResult("accuracy", 0.9, 0.885, false)],
        });

        var passedGate = await registry.RegisterAsync(Registrations.Passing(model));

        Assert.NotEqual(failedStricterGate.VersionId, passedGate.VersionId);
        Assert.False(failedStricterGate.IsDeployable);
        Assert.True(passedGate.IsDeployable);
    }

    [Fact]
    public async Task A_registry_holding_duplicates_from_before_returns_the_newest_of_them()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a");
        await registry.RegisterAsync(Registrations.Passing(model, "1.0.1+c53ded0"));
        await registry.RegisterAsync(Registrations.Passing(model, "1.0.2+c53ded0"));

        var again = await registry.RegisterAsync(Registrations.Passing(model));

        Assert.Equal("1.0.2+c53ded0", again.VersionId);
        Assert.Equal(2, (await registry.ListVersionsAsync()).Count);
    }

    [Fact]
    public async Task Rollback_skips_a_version_with_the_same_bytes_as_production()
    {
        using var registry = _directory.Open();
        var a = _directory.WriteModel("a");
        var v1 = (await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b"), "1.0.1+aaaaaaa"))).VersionId;
        // Two ids for one file, as registries from before content addressing hold them.
        var v2 = (await registry.RegisterAsync(Registrations.Passing(a, "1.0.2+c53ded0"))).VersionId;
        var v3 = (await registry.RegisterAsync(Registrations.Passing(a, "1.0.3+c53ded0"))).VersionId;
        await registry.PromoteAsync("local", v1, "r1", null);
        await registry.PromoteAsync("local", v2, "r2", null);
        await registry.PromoteAsync("local", v3, "r3", null);

        var back = await registry.RollbackAsync("local", null, "incident");

        Assert.Equal((v1, v3), (back.RecordedEvent!.Version, back.RecordedEvent.PreviousVersion));
    }

    [Fact]
    public async Task Rollback_when_every_earlier_version_has_the_same_bytes_says_there_is_nothing_different()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a");
        await registry.PromoteAsync("local", (await registry.RegisterAsync(Registrations.Passing(model, "1.0.1+c53ded0"))).VersionId, "r1", null);
        await registry.PromoteAsync("local", (await registry.RegisterAsync(Registrations.Passing(model, "1.0.2+c53ded0"))).VersionId, "r2", null);

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.RollbackAsync("local", null, "incident"));

        Assert.Equal(ModelRegistryError.NothingToRollBack, error.Error);
        Assert.Contains("versions with the same bytes", error.Message);
        Assert.Equal("1.0.2+c53ded0", (await registry.GetProductionAsync("local"))!.VersionId);
    }

    public void Dispose() => _directory.Dispose();
}
