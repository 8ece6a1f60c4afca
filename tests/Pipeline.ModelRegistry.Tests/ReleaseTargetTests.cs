namespace Pipeline.ModelRegistry.Tests;

/// <summary>Production is kept per cluster namespace of an environment; records from before read as they were.</summary>
public sealed class ReleaseTargetTests : IDisposable
{
    private static readonly ReleaseTarget Serving = new("kubernetes", "https://10.0.0.1:6443", "serving");
    private static readonly ReleaseTarget Staging = new("kubernetes", "https://10.0.0.1:6443", "staging");
    private static readonly ReleaseTarget OtherCluster = new("kubernetes", "https://10.9.9.9:6443", "serving");

    private readonly TestRegistryDirectory _directory = new();
    private readonly FileSystemModelRegistry _registry;

    public ReleaseTargetTests() => _registry = _directory.Open();

    public void Dispose()
    {
        _registry.Dispose();
        _directory.Dispose();
    }

    private async Task<string> Register(string content) => (await _registry.RegisterAsync(Registrations.Passing(_directory.WriteModel(content)))).VersionId;

    [Fact]
    public async Task A_second_namespace_or_cluster_does_not_overwrite_the_first_ones_production()
    {
        var (v1, v2, v3) = (await Register("a"), await Register("b"), await Register("c"));

        await _registry.PromoteAsync(Serving, v1, "deploy serving", null);
        await _registry.PromoteAsync(Staging, v2, "deploy staging", null);
        await _registry.PromoteAsync(OtherCluster, v3, "deploy other cluster", null);

        using var reopened = _directory.Open();
        Assert.Equal(v1, (await reopened.GetProductionAsync(Serving))!.VersionId);
        Assert.Equal(v2, (await reopened.GetProductionAsync(Staging))!.VersionId);
        Assert.Equal(v3, (await reopened.GetProductionAsync(OtherCluster))!.VersionId);
        Assert.Single(await reopened.GetHistoryAsync(Serving));
        Assert.Null(await reopened.GetProductionAsync("kubernetes"));
        Assert.Equal([Serving, Staging, OtherCluster], (await reopened.ListEnvironmentsAsync()).Select(e => e.Target).OrderBy(t => t.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rollback_in_one_namespace_leaves_the_other_alone()
    {
        var (v1, v2) = (await Register("a"), await Register("b"));
        await _registry.PromoteAsync(Serving, v1, "deploy", null);
        await _registry.PromoteAsync(Serving, v2, "deploy", null);
        await _registry.PromoteAsync(Staging, v2, "deploy", null);

        await _registry.RollbackAsync(Serving, null, "incident", null);

        Assert.Equal(v1, (await _registry.GetProductionAsync(Serving))!.VersionId);
        Assert.Equal(v2, (await _registry.GetProductionAsync(Staging))!.VersionId);
        var nothing = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.RollbackAsync(Staging, null, "incident", null));
        Assert.Contains("kubernetes (https://10.0.0.1:6443, namespace staging)", nothing.Message);
    }

    [Fact]
    public async Task A_record_written_before_targets_is_still_the_environments_and_is_not_inherited_by_a_namespace()
    {
        var v1 = await Register("a");
        Directory.CreateDirectory(_directory.PathIn("environments"));
        await File.WriteAllTextAsync(_directory.PathIn("environments", "kubernetes.json"), $$"""
            {
              "schemaVersion": 1,
              "environment": "kubernetes",
              "productionVersion": "{{v1}}",
              "history": [ { "kind": "Promoted", "time": "2026-11-01T10:00:00+00:00", "version": "{{v1}}", "previousVersion": null, "sourceRevision": null, "reason": "old deploy" } ]
            }
            """);

        Assert.Equal(v1, (await _registry.GetProductionAsync("kubernetes"))!.VersionId);
        Assert.Null(await _registry.GetProductionAsync(Serving));
        Assert.Equal(new ReleaseTarget("kubernetes"), Assert.Single(await _registry.ListEnvironmentsAsync()).Target);
    }

    [Fact]
    public void A_cluster_is_named_the_same_however_its_server_address_is_written()
    {
        var plain = ReleaseTarget.ForCluster("kubernetes", new Uri("https://10.0.0.1:6443"), "serving");

        Assert.Equal(plain, ReleaseTarget.ForCluster("kubernetes", new Uri("https://10.0.0.1:6443/"), "serving"));
        Assert.Equal(plain, ReleaseTarget.ForCluster("kubernetes", new Uri("HTTPS://10.0.0.1:6443"), "serving"));
        Assert.Equal("https://10.0.0.1:6443", plain.Cluster);
        Assert.Matches("^kubernetes@10.0.0.1-6443-[0-9a-f]{8}@serving$", plain.Key);
    }

    [Fact]
    public async Task A_target_with_a_cluster_but_no_namespace_is_refused_with_what_to_give()
    {
        var v1 = await Register("a");

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => _registry.PromoteAsync(new ReleaseTarget("kubernetes", "https://10.0.0.1:6443"), v1, "deploy", null));

        Assert.Equal(ModelRegistryError.InvalidRequest, error.Error);
        Assert.Contains("a cluster and a namespace together", error.Message);
    }

    [Fact]
    public async Task Each_model_keeps_its_own_production_and_history_in_one_environment()
    {
        var (fashion1, penguins1, fashion2) = (await Register("f1"), await Register("p1"), await Register("f2"));
        var fashion = new ReleaseTarget("local") { Model = "fashion-mnist" };
        var penguins = new ReleaseTarget("local") { Model = "penguins" };

        await _registry.PromoteAsync(fashion, fashion1, "deploy fashion", null);
        await _registry.PromoteAsync(penguins, penguins1, "deploy penguins", null);
        await _registry.PromoteAsync(fashion, fashion2, "deploy fashion again", null);

        using var reopened = _directory.Open();
        Assert.Equal(fashion2, (await reopened.GetProductionAsync(fashion))!.VersionId);
        Assert.Equal(penguins1, (await reopened.GetProductionAsync(penguins))!.VersionId);
        Assert.Single(await reopened.GetHistoryAsync(penguins));
        Assert.Null(await reopened.GetProductionAsync("local"));
        Assert.Equal("penguins in local", penguins.ToString());
        Assert.NotEqual(fashion.Key, penguins.Key);
    }

    [Fact]
    public void A_model_name_that_cannot_name_a_record_is_refused()
    {
        var error = Assert.Throws<ModelRegistryException>(() => new ReleaseTarget("local") { Model = "Penguins/../x" }.Key);

        Assert.Contains("'Penguins/../x' is not a model name", error.Message);
    }

    [Fact]
    public async Task A_record_from_before_models_had_their_own_carries_over_to_the_model_it_served_and_no_other()
    {
        var (v1, v2, v3) = (await Register("a"), await Register("b"), await Register("c"));
        await _registry.PromoteAsync("local", v1, "deploy before the upgrade", null);
        await _registry.PromoteAsync("local", v2, "deploy before the upgrade", null);
        var fashion = new ReleaseTarget("local") { Model = "fashion-mnist" };
        var penguins = new ReleaseTarget("local") { Model = "penguins" };

        Assert.Equal(v2, (await _registry.GetProductionAsync(fashion))!.VersionId);
        Assert.Null(await _registry.GetProductionAsync(penguins)); // v2 is fashion-mnist's, not penguins'
        await _registry.PromoteAsync(fashion, v3, "first deploy after the upgrade", null);

        using var reopened = _directory.Open();
        Assert.Equal([v1, v2, v3], (await reopened.GetHistoryAsync(fashion)).Select(e => e.Version));
        Assert.Equal(v2, (await reopened.RollbackAsync(fashion, null, "incident", null)).Environment.ProductionVersion);
        Assert.Equal(v2, (await reopened.GetProductionAsync("local"))!.VersionId); // the old record is left as it was
    }
}
