using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Serving.Protocol.Inference;

namespace Pipeline.Stages.Tests;

/// <summary>The model's gRPC endpoint on the local edge with real serving containers: a blue/green switch moves it with REST.</summary>
[Collection(PipelineRunCollection.Name)]
public sealed class LocalGrpcEdgeTests(PipelineRunFixture run)
{
    private DeployVersionsFixture Versions => run.DeployVersions;

    [Fact]
    public async Task After_a_blue_green_deploy_a_gRPC_call_on_the_same_channel_through_the_edge_answers_from_the_new_version()
    {
        await Versions.EnsureAsync();
        await using var harness = new DeployHarness(Versions, run.Log);
        await harness.DeployAsync(run, Versions.V1);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{harness.GrpcPort}");
        // The deployed server demands the environment's key on metadata calls, over gRPC as over REST.
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel.CreateCallInvoker().Intercept(headers =>
        {
            headers.Add("authorization", "Bearer " + harness.ApiKeys.Key.Secret);
            return headers;
        }));

        var before = await client.ModelMetadataAsync(new ModelMetadataRequest { Name = harness.Model });
        await harness.DeployAsync(run, Versions.V2);
        // The same HTTP/2 connection to the edge: the runtime change sends its next call to the new slot.
        var after = await client.ModelMetadataAsync(new ModelMetadataRequest { Name = harness.Model });
        var ready = await client.ModelReadyAsync(new ModelReadyRequest { Name = harness.Model });

        Assert.Equal([Versions.V1.Version], before.Versions);
        Assert.Equal([Versions.V2.Version], after.Versions);
        Assert.True(ready.Ready);
        Assert.Equal([Versions.V2.Version], await harness.ServedVersionsAsync());
    }
}
