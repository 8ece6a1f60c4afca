using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class GrpcDynamicBatchingTests(ServingFixture fixture)
{
    [Fact]
    public async Task Concurrent_gRPC_and_REST_requests_are_merged_into_one_run_and_each_gets_its_own_rows()
    {
        // The delay is far longer than the test: the merged run can only start because the batch filled up.
        var options = TestServer.DefaultOptions(fixture) with
        {
            DynamicBatching = true, DynamicBatchMaxSize = 4, DynamicBatchMaxQueueDelayMicroseconds = 10_000_000,
        };
        await using var server = await TestServer.StartAsync(fixture, options);
        var pixels = Enumerable.Range(0, 4).Select(i => TestModels.Pixels(1, seed: 90 + i)).ToArray();

        var typed = server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels[0])).ResponseAsync;
        var raw = server.Grpc.ModelInferAsync(GrpcRequests.Raw(pixels[1])).ResponseAsync;
        var rest = server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels[2])));
        var typedToo = server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels[3])).ResponseAsync;
        await Task.WhenAll(typed, raw, rest, typedToo);

        AssertClose(fixture.Reference.Run(pixels[0]).Probabilities, GrpcRequests.Output(await typed, "probabilities").Contents.Fp32Contents.ToArray());
        AssertClose(fixture.Reference.Run(pixels[1]).Probabilities,
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(GrpcRequests.RawOutput(await raw, "probabilities")).ToArray());
        AssertMatchesReference(await ReadJsonAsync(await rest), fixture.Reference, pixels[2]);
        Assert.Equal(fixture.Reference.Run(pixels[3]).Labels, GrpcRequests.Output(await typedToo, "label").Contents.Int64Contents);
        var metrics = await server.GetMetricsAsync();
        Assert.Equal(4, metrics["nv_inference_count"]);
        Assert.Equal(1, metrics["nv_inference_exec_count"]);
        Assert.Equal(4, metrics["nv_inference_request_success"]);
    }
}
