namespace Pipeline.ModelRegistry.Tests;

public sealed class BlobIntegrityTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();

    [Fact]
    public async Task An_untouched_blob_verifies_opens_and_exports_byte_for_byte()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a", size: 300_000);
        var version = await registry.RegisterAsync(Registrations.Passing(model));
        var destination = Path.Combine(_directory.Directory, "deploy", "model.onnx");

        await registry.VerifyBlobAsync(version.VersionId);
        await registry.ExportBlobAsync(version.VersionId, destination);
        using var read = new MemoryStream();
        await using (var blob = await registry.OpenBlobAsync(version.VersionId)) await blob.CopyToAsync(read);

        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(destination));
        Assert.Equal(File.ReadAllBytes(model), read.ToArray());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(destination)!, "*.tmp"));
    }

    [Fact]
    public async Task A_tampered_blob_fails_verification_reading_and_export_and_the_export_target_is_left_alone()
    {
        using var registry = _directory.Open();
        var version = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        var blobPath = _directory.PathIn("blobs", "sha256", version.Sha256);
        var tampered = File.ReadAllBytes(blobPath);
        tampered[100] ^= 0xFF;
        File.WriteAllBytes(blobPath, tampered);
        var destination = Path.Combine(_directory.Directory, "deploy.onnx");
        File.WriteAllText(destination, "the model deployed before");

        var verify = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.VerifyBlobAsync(version.VersionId));
        var export = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.ExportBlobAsync(version.VersionId, destination));
        var read = await Assert.ThrowsAsync<ModelRegistryException>(async () =>
        {
            await using var blob = await registry.OpenBlobAsync(version.VersionId);
            await blob.CopyToAsync(Stream.Null);
        });

        Assert.All([verify, export, read], error => Assert.Equal(ModelRegistryError.BlobCorrupted, error.Error));
        Assert.Contains($"version {version.VersionId} was altered", verify.Message);
        Assert.Contains(version.Sha256, verify.Message);
        Assert.Equal("the model deployed before", File.ReadAllText(destination));
        Assert.Empty(Directory.GetFiles(_directory.Directory, "*.tmp"));
    }

    [Fact]
    public async Task A_truncated_blob_is_caught_too()
    {
        using var registry = _directory.Open();
        var version = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        var blobPath = _directory.PathIn("blobs", "sha256", version.Sha256);
        File.WriteAllBytes(blobPath, File.ReadAllBytes(blobPath)[..1000]);

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.VerifyBlobAsync(version.VersionId));

        Assert.Contains("(1000 bytes)", error.Message);
    }

    [Fact]
    public async Task Registering_the_original_file_again_repairs_a_tampered_blob()
    {
        using var registry = _directory.Open();
        var model = _directory.WriteModel("a");
        var version = await registry.RegisterAsync(Registrations.Passing(model));
        File.WriteAllText(_directory.PathIn("blobs", "sha256", version.Sha256), "garbage");

        await registry.RegisterAsync(Registrations.Passing(model));

        await registry.VerifyBlobAsync(version.VersionId);
    }

    [Fact]
    public async Task A_missing_blob_is_named()
    {
        using var registry = _directory.Open();
        var version = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a")));
        File.Delete(_directory.PathIn("blobs", "sha256", version.Sha256));

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.VerifyBlobAsync(version.VersionId));

        Assert.Equal(ModelRegistryError.BlobMissing, error.Error);
        Assert.Contains(version.Sha256, error.Message);
    }

    public void Dispose() => _directory.Dispose();
}
