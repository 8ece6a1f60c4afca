namespace Pipeline.ModelRegistry.Tests;

/// <summary>Several instances sharing nothing but the directory, and another process, writing at once.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();

    [Fact]
    public async Task Parallel_registrations_and_promotions_from_two_instances_lose_no_update()
    {
        using var first = _directory.Open();
        using var second = _directory.Open();
        var seeded = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => first.RegisterAsync(Registrations.Passing(_directory.WriteModel($"seed{i}")))));
        var models = Enumerable.Range(0, 24).Select(i => _directory.WriteModel($"m{i}")).ToArray();

        var registrations = models.Select((model, i) => Task.Run(() => (i % 2 == 0 ? first : second).RegisterAsync(Registrations.Passing(model))));
        var promotions = Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            (i % 2 == 0 ? second : first).PromoteAsync(i % 3 == 0 ? "kubernetes" : "local", seeded[i % seeded.Length].VersionId, $"task {i}", null)));
        var registered = await Task.WhenAll(registrations);
        var released = await Task.WhenAll(promotions);

        using var reader = _directory.Open();
        var listed = await reader.ListVersionsAsync();
        Assert.Equal(28, listed.Count);
        Assert.Equal(Enumerable.Range(1, 28).Reverse().Select(i => (long)i), listed.Select(v => v.Sequence));
        Assert.Equal(28, listed.Select(v => v.VersionId).Distinct().Count());
        Assert.Subset(listed.Select(v => v.VersionId).ToHashSet(), registered.Select(v => v.VersionId).ToHashSet());
        foreach (var environment in new[] { "local", "kubernetes" })
        {
            var history = await reader.GetHistoryAsync(environment);
            var recorded = released.Where(r => r.Environment.Environment == environment && r.Changed).Select(r => r.RecordedEvent!).ToArray();
            Assert.Equal(recorded.OrderBy(e => e.Reason), history.OrderBy(e => e.Reason));
            Assert.Equal([null, .. history.SkipLast(1).Select(e => e.Version)], history.Select(e => e.PreviousVersion));
            Assert.Equal(history[^1].Version, (await reader.GetProductionAsync(environment))!.VersionId);
        }
    }

    [Fact]
    public async Task Racing_registrations_of_identical_content_yield_one_version()
    {
        using var first = _directory.Open();
        using var second = _directory.Open();
        var model = _directory.WriteModel("same");

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).RegisterAsync(Registrations.Passing(model)))));

        Assert.Single(results.Select(v => v.VersionId).Distinct());
        Assert.Single(await first.ListVersionsAsync());
        Assert.Single(Directory.GetFiles(_directory.PathIn("blobs", "sha256")));
    }

    [Fact]
    public async Task A_write_waits_while_another_process_holds_the_registry_lock()
    {
        using var registry = _directory.Open();
        await using var holder = await ExternalLockHolder.AcquireAsync(_directory.LockPath);

        var registering = registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        await Task.WhenAny(registering, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.False(registering.IsCompleted, "the registration went ahead while another process held registry.lock");
        await holder.ReleaseAsync();
        var version = await registering.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(version.VersionId, Assert.Single(await registry.ListVersionsAsync()).VersionId);
    }

    [Fact]
    public async Task A_lock_held_too_long_fails_naming_the_lock_file()
    {
        using var registry = _directory.Open(new ModelRegistryOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        await using var holder = await ExternalLockHolder.AcquireAsync(_directory.LockPath);

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a"))));

        Assert.Equal(ModelRegistryError.LockTimeout, error.Error);
        Assert.Contains($"waiting for the model registry lock '{_directory.LockPath}'", error.Message);
        Assert.Empty(await registry.ListVersionsAsync());
    }

    [Fact]
    public async Task While_a_record_is_being_written_another_process_cannot_take_the_lock()
    {
        using var writing = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();
        using var registry = _directory.OpenWithBeforeCommit(target =>
        {
            if (!target.Contains("versions")) return;
            writing.Set();
            finish.Wait(TimeSpan.FromSeconds(10));
        });

        var registering = Task.Run(() => registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a"))));
        Assert.True(writing.Wait(TimeSpan.FromSeconds(10)), "the registration never reached its record write");
        var freeDuringWrite = await ExternalLockHolder.IsFreeForAnotherProcessAsync(_directory.LockPath);
        finish.Set();
        await registering.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(freeDuringWrite);
        Assert.True(await ExternalLockHolder.IsFreeForAnotherProcessAsync(_directory.LockPath));
    }

    public void Dispose() => _directory.Dispose();
}
