using Google.Protobuf;
using TestSupport;

namespace Pipeline.Onnx.Tests;

public sealed class OnnxModelFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_creates_missing_directories_and_leaves_only_the_model_file()
    {
        var path = _directory.File("models/v1/model.onnx");
        var model = SampleModels.DenseReluModel();

        OnnxModelFile.WriteAtomically(model, path);

        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        Assert.Equal(model.ToByteArray(), File.ReadAllBytes(path));
        Assert.Equal(model, OnnxModelFile.Read(path));
    }

    [Fact]
    public async Task Async_write_replaces_an_existing_file_with_the_complete_new_model()
    {
        var path = _directory.File("model.onnx");
        OnnxModelFile.WriteAtomically(SampleModels.DenseReluModel(), path);
        var replacement = SampleModels.DenseReluModel();
        replacement.SetMetadata("model_version", "2");

        await OnnxModelFile.WriteAtomicallyAsync(replacement, path);

        Assert.Equal([path], Directory.GetFiles(_directory.Path));
        var read = await OnnxModelFile.ReadAsync(path);
        Assert.Equal("2", read.FindMetadata("model_version"));
        Assert.Equal(replacement, read);
    }

    [Fact]
    public void Invalid_model_is_not_written_and_the_existing_file_is_untouched()
    {
        var path = _directory.File("model.onnx");
        OnnxModelFile.WriteAtomically(SampleModels.DenseReluModel(), path);
        var before = File.ReadAllBytes(path);
        var broken = SampleModels.DenseReluModel();
        broken.Graph.Node.RemoveAt(0);

        var error = Assert.Throws<OnnxModelValidationException>(() => OnnxModelFile.WriteAtomically(broken, path));

        Assert.Contains("reads 'xw'", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public async Task Cancelled_write_leaves_neither_the_model_nor_a_temporary_file()
    {
        var path = _directory.File("model.onnx");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => OnnxModelFile.WriteAtomicallyAsync(SampleModels.DenseReluModel(), path, cancellation.Token));

        Assert.Empty(Directory.GetFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void Writing_to_a_directory_path_explains_that_a_file_path_is_needed()
    {
        var error = Assert.Throws<IOException>(() => OnnxModelFile.WriteAtomically(SampleModels.DenseReluModel(), _directory.Path));

        Assert.Contains("it is a directory", error.Message);
    }

    [Fact]
    public void Reading_a_missing_file_names_the_path()
    {
        var path = _directory.File("absent.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OnnxModelFile.Read(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Reading_a_file_that_is_not_a_model_fails_clearly()
    {
        var path = _directory.File("notes.onnx");
        File.WriteAllText(path, "this is not a protobuf model");

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelFile.Read(path));

        Assert.StartsWith($"'{path}' is not an ONNX model", error.Message);
    }
}
