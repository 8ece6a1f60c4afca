using Serving.Server.Hosting;
using Serving.Server.Tests.Support;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class ModelLoadingTests(ServingFixture fixture)
{
    [Fact]
    public async Task A_matching_SHA256_starts_the_server()
    {
        var sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(fixture.ModelPath)));
        await using var server = await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { ModelSha256 = sha256 });

        Assert.True(server.Server.IsReady);
    }

    [Fact]
    public void A_model_without_a_variable_batch_dimension_is_refused_naming_the_tensor()
    {
        var path = TestModels.WriteFixedBatchModel(fixture.TempFile("fixed.onnx"));

        var error = Assert.Throws<ServerStartupException>(() =>
            ServingServer.Create(TestServer.DefaultOptions(fixture) with { ModelPath = path }, fixture.Environment));

        Assert.Contains("input 'input' has shape [1, 4]; the server needs a variable batch dimension first", error.Message);
        Assert.Contains("output 'output' has shape [1, 4]", error.Message);
    }

    [Fact]
    public void A_model_with_unserved_datatypes_is_refused_naming_each_tensor_and_the_served_datatypes()
    {
        var path = TestModels.WriteUnservedTypesModel(fixture.TempFile("unserved.onnx"));

        var error = Assert.Throws<ServerStartupException>(() =>
            ServingServer.Create(TestServer.DefaultOptions(fixture) with { ModelPath = path }, fixture.Environment));

        Assert.Contains("input 'pixels' is UINT8; the server serves FP32, FP64, INT32, INT64, BOOL and BYTES only (cast it in the model).", error.Message);
        Assert.Contains("output 'half' is FP16; the server serves FP32, FP64, INT32, INT64, BOOL and BYTES only", error.Message);
    }

    [Fact]
    public void A_missing_or_corrupt_model_file_is_refused_naming_the_path()
    {
        var missing = fixture.TempFile("missing.onnx");
        var corrupt = fixture.TempFile("corrupt.onnx");
        File.WriteAllText(corrupt, "not a model");

        var missingError = Assert.Throws<ServerStartupException>(() =>
            ServingServer.Create(TestServer.DefaultOptions(fixture) with { ModelPath = missing }, fixture.Environment));
        var corruptError = Assert.Throws<ServerStartupException>(() =>
            ServingServer.Create(TestServer.DefaultOptions(fixture) with { ModelPath = corrupt }, fixture.Environment));

        Assert.Contains($"Cannot read the model file '{missing}'", missingError.Message);
        Assert.StartsWith($"ONNX Runtime cannot load the model '{corrupt}'", corruptError.Message);
    }
}
