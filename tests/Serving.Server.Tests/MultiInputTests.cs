using System.Net;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

/// <summary>A model with two inputs: each is matched by name, whatever order the request gives them in.</summary>
[Collection(ServingCollection.Name)]
public sealed class MultiInputTests(ServingFixture fixture)
{
    private const string B = """{"name": "b", "shape": [2, 3], "datatype": "FP32", "data": [[3, 4, 5], [8, 9, 10]]}""";

    [Fact]
    public async Task Inputs_are_matched_by_name_in_any_order()
    {
        await using var server = await StartAsync();

        var response = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(
            $$"""{"inputs": [{{B}}, {"name": "a", "shape": [2, 2], "datatype": "FP32", "data": [1, 2, 6, 7]}]}""")));

        var joined = Output(response, "joined");
        Assert.Equal([2, 5], joined.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8, 9, 10], InferRequests.Floats(joined.GetProperty("data")));
    }

    [Theory]
    [InlineData("""{"inputs": [BINPUT]}""", "Input 'a' is missing; model 'fashion-mnist' needs: a, b.")]
    [InlineData("""{"inputs": [BINPUT, BINPUT]}""", "Input 'b' is given more than once.")]
    [InlineData("""{"inputs": [BINPUT, {"name": "a", "shape": [1, 2], "datatype": "FP32", "data": [1, 2]}]}""",
        "Input 'a' has batch size 1, but input 'b' has 2; all inputs need the same batch size.")]
    public async Task Missing_repeated_and_mismatched_inputs_are_refused(string body, string message)
    {
        await using var server = await StartAsync();

        var error = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(body.Replace("BINPUT", B))), HttpStatusCode.BadRequest);

        Assert.Equal(message, error);
    }

    private Task<TestServer> StartAsync() => TestServer.StartAsync(fixture,
        TestServer.DefaultOptions(fixture) with { ModelPath = TestModels.WriteTwoInputModel(fixture.TempFile("two-inputs.onnx")) });
}
