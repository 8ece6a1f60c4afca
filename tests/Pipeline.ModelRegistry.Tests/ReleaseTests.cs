namespace Pipeline.ModelRegistry.Tests;

public sealed class ReleaseTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();
    private readonly FileSystemModelRegistry _registry;

    public ReleaseTests() => _registry = _directory.Open();

    [Fact]
    public async Task Promotions_set_production_and_append_history()
    {
        var (v1, v2) = (await Register("a"), await Register("b"));

        var first = await _registry.PromoteAsync("local", v1, "CI run 1", "aaaa111");
        _directory.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await _registry.PromoteAsync("local", v2, "CI run 2", "bbbb222");

        using var reopened = _directory.Open();
        Assert.Equal(v2, (await _registry.GetProductionAsync("local"))!.VersionId);
        Assert.Equal(second.RecordedEvent, (await _registry.GetHistoryAsync("local"))[^1]);
        Assert.Equal(
            [
                new ReleaseEvent(ReleaseEventKind.Promoted, _directory.Clock.GetUtcNow() - TimeSpan.FromMinutes(5), v1, null, "aaaa111", "CI run 1"),
                new ReleaseEvent(ReleaseEventKind.Promoted, _directory.Clock.GetUtcNow(), v2, v1, "bbbb222", "CI run 2"),
            ],
            await reopened.GetHistoryAsync("local"));
        Assert.True(first.Changed);
        Assert.Contains("\"kind\": \"Promoted\"", File.ReadAllText(_directory.PathIn("environments", "local.json")));
    }

    [Fact]
    public async Task Promoting_the_version_already_in_production_records_nothing()
    {
        var v1 = await Register("a");
        await _registry.PromoteAsync("local", v1, "CI run 1", null);

        var again = await _registry.PromoteAsync("local", v1, "CI run 1 retried", null);

        Assert.False(again.Changed);
        Assert.Single(await _registry.GetHistoryAsync("local"));
    }

    [Fact]
    public async Task A_version_that_did_not_pass_validation_cannot_be_promoted()
    {
        var failed = (await _registry.RegisterAsync(Registrations.Failing(_directory.WriteModel("a")))).VersionId;
        var ungated = (await _registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")) with { Gates = [] })).VersionId;

        var refusedFailed = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.PromoteAsync("local", failed, "try", null));
        var refusedUngated = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.PromoteAsync("local", ungated, "try", null));

        Assert.Equal(ModelRegistryError.NotDeployable, refusedFailed.Error);
        Assert.Contains($"Version {failed} did not pass validation (failed gates: accuracy measured 0.71 against threshold 0.85)", refusedFailed.Message);
        Assert.Contains("no gate results were recorded", refusedUngated.Message);
        Assert.Null(await _registry.GetProductionAsync("local"));
        Assert.Empty(await _registry.GetHistoryAsync("local"));
    }

    [Fact]
    public async Task Rollback_without_a_target_returns_to_the_previous_production_version_and_twice_toggles()
    {
        var (v1, v2, v3) = (await Register("a"), await Register("b"), await Register("c"));
        await _registry.PromoteAsync("local", v1, "r1", null);
        await _registry.PromoteAsync("local", v2, "r2", null);
        await _registry.PromoteAsync("local", v3, "r3", null);

        var back = await _registry.RollbackAsync("local", null, "incident 7: p99 latency doubled", "cccc333");
        var toggled = await _registry.RollbackAsync("local", null, "incident 7: false alarm");

        Assert.Equal(new ReleaseEvent(ReleaseEventKind.RolledBack, _directory.Clock.GetUtcNow(), v2, v3, "cccc333", "incident 7: p99 latency doubled"), back.RecordedEvent);
        Assert.Equal((v3, v2), (toggled.RecordedEvent!.Version, toggled.RecordedEvent.PreviousVersion));
        Assert.Equal(v3, (await _registry.GetProductionAsync("local"))!.VersionId);
        Assert.Equal(5, (await _registry.GetHistoryAsync("local")).Count);
    }

    [Fact]
    public async Task Rollback_to_a_named_earlier_version()
    {
        var (v1, v2, v3) = (await Register("a"), await Register("b"), await Register("c"));
        foreach (var version in new[] { v1, v2, v3 }) await _registry.PromoteAsync("local", version, "release", null);

        var result = await _registry.RollbackAsync("local", v1, "back to the last known good");

        Assert.Equal((ReleaseEventKind.RolledBack, v1, v3), (result.RecordedEvent!.Kind, result.RecordedEvent.Version, result.RecordedEvent.PreviousVersion));
        Assert.Equal(v1, result.Environment.ProductionVersion);
    }

    [Fact]
    public async Task Rollback_to_a_version_never_in_production_there_is_refused()
    {
        var (v1, v2, v3) = (await Register("a"), await Register("b"), await Register("c"));
        await _registry.PromoteAsync("local", v1, "r1", null);
        await _registry.PromoteAsync("local", v2, "r2", null);
        await _registry.PromoteAsync("kubernetes", v3, "r3", null);

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.RollbackAsync("local", v3, "oops"));

        Assert.Equal(ModelRegistryError.NothingToRollBack, error.Error);
        Assert.Contains($"Version {v3} has never been in production in environment 'local'", error.Message);
        Assert.Contains($"it has had: {v1}, {v2}", error.Message);
    }

    [Fact]
    public async Task Rollback_with_nothing_to_roll_back_to_says_so()
    {
        var v1 = await Register("a");

        var never = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.RollbackAsync("local", null, "incident"));
        await _registry.PromoteAsync("local", v1, "first release", null);
        var onlyOne = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.RollbackAsync("local", null, "incident"));

        Assert.Contains("Environment 'local' has never had a version in production; nothing to roll back to", never.Message);
        Assert.Equal($"Environment 'local' has only ever had {v1} in production; nothing to roll back to.", onlyOne.Message);
        Assert.Single(await _registry.GetHistoryAsync("local"));
    }

    [Fact]
    public async Task Environments_are_independent_and_listed_by_name()
    {
        var (v1, v2) = (await Register("a"), await Register("b"));
        await _registry.PromoteAsync("local", v1, "r1", null);
        await _registry.PromoteAsync("kubernetes", v2, "r2", null);
        await _registry.PromoteAsync("local", v2, "r3", null);
        await _registry.RollbackAsync("local", null, "r4");

        var environments = await _registry.ListEnvironmentsAsync();

        Assert.Equal([("kubernetes", v2, 1), ("local", v1, 3)], environments.Select(e => (e.Environment, e.ProductionVersion, e.History.Count)));
    }

    [Theory]
    [InlineData("Local")]
    [InlineData("../local")]
    [InlineData("")]
    public async Task Environment_names_that_cannot_be_file_names_are_refused(string environment)
    {
        var v1 = await Register("a");

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.PromoteAsync(environment, v1, "r", null));

        Assert.Contains("is not a valid environment name", error.Message);
    }

    [Fact]
    public async Task A_release_needs_a_reason()
    {
        var v1 = await Register("a");

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.PromoteAsync("local", v1, " ", null));

        Assert.Contains("needs a reason", error.Message);
    }

    private async Task<string> Register(string seed) =>
        (await _registry.RegisterAsync(Registrations.Passing(_directory.WriteModel(seed)))).VersionId;

    public void Dispose()
    {
        _registry.Dispose();
        _directory.Dispose();
    }
}
