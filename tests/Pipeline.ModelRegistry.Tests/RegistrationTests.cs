using System.Security.Cryptography;
using System.Text.Json;

namespace Pipeline.ModelRegistry.Tests;

public sealed class RegistrationTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();

    [Fact]
    public async Task A_registered_version_reads_back_with_its_lineage_from_a_fresh_instance()
    {
        var model = _directory.WriteModel("a");
        using (var registry = _directory.Open())
        {
            await registry.RegisterAsync(Registrations.Passing(model) with { Labels = new Dictionary<string, string> { ["candidate"] = "int8" } });
        }

        using var reopened = _directory.Open();
        var version = Assert.Single(await reopened.ListVersionsAsync());
        Assert.Equal("1.0.1+3f2a9c1", version.VersionId);
        Assert.Equal(1, version.Sequence);
        Assert.Equal("fashion-mnist", version.ModelName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model))), version.Sha256);
        Assert.Equal(new FileInfo(model).Length, version.SizeBytes);
        Assert.Equal("3f2a9c1d0e4b5a69", version.SourceRevision);
        Assert.Equal(Registrations.DataHash, version.DataHashes["train-images-idx3-ubyte.gz"]);
        Assert.Equal("42", version.Parameters["seed"]);
        Assert.Equal(0.885, version.Metrics["accuracy"]);
        Assert.Equal(new GateResult("accuracy", 0.85, 0.885, true), Assert.Single(version.Gates));
        Assert.True(version.PassedValidation);
        Assert.Equal(_directory.Clock.GetUtcNow(), version.CreatedAt);
        Assert.Equal("int8", version.Labels["candidate"]);
        Assert.Equal(version, await reopened.GetVersionAsync(version.VersionId), new ModelVersionComparer());
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(_directory.PathIn("blobs", "sha256", version.Sha256)));
    }

    [Fact]
    public async Task The_version_record_is_readable_json_with_a_schema_version_first()
    {
        using var registry = _directory.Open();
        var version = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a"), "2.3.0+build5"));

        var text = File.ReadAllText(_directory.PathIn("versions", "2.3.0+build5.json"));
        using var json = JsonDocument.Parse(text);
        var first = json.RootElement.EnumerateObject().First();
        Assert.Equal(("schemaVersion", 1), (first.Name, first.Value.GetInt32()));
        Assert.Equal(version.Sha256, json.RootElement.GetProperty("sha256").GetString());
        Assert.Contains("\"versionId\": \"2.3.0+build5\"", text);
    }

    [Fact]
    public async Task Generated_ids_follow_registration_order_and_are_listed_newest_first()
    {
        using var registry = _directory.Open();
        await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b"), "hand-picked"));
        await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("c"), sourceRevision: null));

        var versions = await registry.ListVersionsAsync();

        Assert.Equal(["1.0.3", "hand-picked", "1.0.1+3f2a9c1"], versions.Select(v => v.VersionId));
        Assert.Equal([3L, 2L, 1L], versions.Select(v => v.Sequence));
    }

    [Fact]
    public async Task A_generated_id_skips_an_id_a_caller_already_took()
    {
        using var registry = _directory.Open();
        await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a"), "1.0.2+3f2a9c1"));

        var generated = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")));

        Assert.Equal("1.0.3+3f2a9c1", generated.VersionId);
    }

    [Fact]
    public async Task Registering_identical_content_again_returns_the_existing_version()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a");
        var named = await registry.RegisterAsync(Registrations.Passing(model, "1.4.0"));
        var generated = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")));
        _directory.Clock.Advance(TimeSpan.FromHours(1));

        var namedAgain = await registry.RegisterAsync(Registrations.Passing(model, "1.4.0"));
        var generatedAgain = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")));

        Assert.Equal(named, namedAgain, new ModelVersionComparer());
        Assert.Equal(generated, generatedAgain, new ModelVersionComparer());
        Assert.Equal(2, (await registry.ListVersionsAsync()).Count);
    }

    [Fact]
    public async Task Registering_a_taken_id_with_other_content_fails_naming_what_differs()
    {
        using var registry = _directory.Open();
        await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a"), "1.4.0"));

        var conflict = await Assert.ThrowsAsync<ModelRegistryException>(() =>
            registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b"), "1.4.0", accuracy: 0.9)));

        Assert.Equal(ModelRegistryError.VersionConflict, conflict.Error);
        Assert.Contains("Version 1.4.0 is already registered with different content", conflict.Message);
        Assert.Contains("ONNX file", conflict.Message);
        Assert.Contains("metrics", conflict.Message);
        Assert.DoesNotContain("labels", conflict.Message);
        Assert.Equal(0.885, (await registry.GetVersionAsync("1.4.0")).Metrics["accuracy"]);
    }

    [Fact]
    public async Task Two_versions_of_the_same_file_share_one_blob()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a");
        var fp32 = await registry.RegisterAsync(Registrations.Passing(model, "1.0.0"));
        var relabelled = await registry.RegisterAsync(Registrations.Passing(model, "1.0.0-rc") with { Labels = new Dictionary<string, string> { ["stage"] = "rc" } });

        Assert.Equal(fp32.Sha256, relabelled.Sha256);
        Assert.Single(Directory.GetFiles(_directory.PathIn("blobs", "sha256")));
    }

    [Fact]
    public async Task A_version_that_failed_its_gates_is_kept_for_the_record_but_not_deployable()
    {
        using var registry = _directory.Open();
        var failed = await registry.RegisterAsync(Registrations.Failing(_directory.WriteModel("a")));
        var ungated = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("b")) with { Gates = [] });

        Assert.False(failed.IsDeployable);
        Assert.False(ungated.IsDeployable);
        Assert.Equal("accuracy", Assert.Single((await registry.GetVersionAsync(failed.VersionId)).FailedGates).Gate);
    }

    [Theory]
    [InlineData("missing-file")]
    [InlineData("bad-version-id")]
    [InlineData("nan-metric")]
    [InlineData("bad-data-hash")]
    [InlineData("repeated-gate")]
    [InlineData("empty-model-name")]
    public async Task Bad_registrations_fail_before_anything_is_recorded(string defect)
    {
        using var registry = _directory.Open();
        var good = Registrations.Passing(_directory.WriteModel("a"));
        var (registration, expected) = defect switch
        {
            "missing-file" => (good with { ModelPath = Path.Combine(_directory.Directory, "nope.onnx") }, "does not exist"),
            "bad-version-id" => (good with { VersionId = "../etc/passwd" }, "not a valid model version id"),
            "nan-metric" => (good with { Metrics = new Dictionary<string, double> { ["accuracy"] = double.NaN } }, "metric 'accuracy' is NaN"),
            "bad-data-hash" => (good with { DataHashes = new Dictionary<string, string> { ["train.gz"] = "abc" } }, "'train.gz' is 'abc', not a SHA-256"),
            "repeated-gate" => (good with { Gates = [.. good.Gates, .. good.Gates] }, "appears 2 times"),
            _ => (good with { ModelName = " " }, "model name"),
        };

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.RegisterAsync(registration));

        Assert.Equal(ModelRegistryError.InvalidRequest, error.Error);
        Assert.Contains(expected, error.Message);
        Assert.Empty(await registry.ListVersionsAsync());
    }

    [Fact]
    public async Task Asking_for_an_unknown_version_names_the_newest_ones()
    {
        using var registry = _directory.Open();
        await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.GetVersionAsync("9.9.9"));

        Assert.Equal(ModelRegistryError.VersionNotFound, error.Error);
        Assert.Contains("'9.9.9' is not in the registry", error.Message);
        Assert.Contains("1.0.1+3f2a9c1", error.Message);
    }

    public void Dispose() => _directory.Dispose();
}
