using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Health.V1;
using Serving.Protocol.Inference;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

/// <summary>The gRPC Open Inference Protocol, checked against what the REST API answers for the same request.</summary>
[Collection(ServingCollection.Name)]
public sealed class GrpcInferenceTests(ServingFixture fixture)
{
    [Fact]
    public async Task Health_rpcs_report_live_and_ready_and_grpc_health_v1_says_serving()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var health = new Health.HealthClient(server.GrpcChannel);

        Assert.True((await server.Grpc.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.True((await server.Grpc.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.True((await server.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "fashion-mnist" })).Ready);
        Assert.True((await server.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "fashion-mnist", Version = "7" })).Ready);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "inference.GRPCInferenceService" })).Status);
    }

    [Theory]
    [InlineData("nope", "", "/v2/models/nope/ready")]
    [InlineData("fashion-mnist", "8", "/v2/models/fashion-mnist/versions/8/ready")]
    public async Task Model_ready_and_metadata_for_an_unknown_model_or_version_are_NOT_FOUND_with_REST_s_message(string name, string version, string restPath)
    {
        await using var server = await TestServer.StartAsync(fixture);
        var rest = await ReadErrorAsync(await server.Client.GetAsync(restPath), HttpStatusCode.NotFound);

        var ready = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = name, Version = version }));
        var metadata = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = name, Version = version }));

        Assert.Equal(StatusCode.NotFound, ready.StatusCode);
        Assert.Equal(rest, ready.Status.Detail);
        Assert.Equal(StatusCode.NotFound, metadata.StatusCode);
        Assert.Equal(rest, metadata.Status.Detail);
    }

    [Fact]
    public async Task Server_and_model_metadata_equal_REST_s()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var restServer = await ReadJsonAsync(await server.Client.GetAsync("/v2"));
        var restModel = await ReadJsonAsync(await server.Client.GetAsync("/v2/models/fashion-mnist"));

        var grpcServer = await server.Grpc.ServerMetadataAsync(new ServerMetadataRequest());
        var grpcModel = await server.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = "fashion-mnist" });

        Assert.Equal(restServer.GetProperty("name").GetString(), grpcServer.Name);
        Assert.Equal(restServer.GetProperty("version").GetString(), grpcServer.Version);
        Assert.Equal(restServer.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()), grpcServer.Extensions);
        Assert.Equal(restModel.GetProperty("name").GetString(), grpcModel.Name);
        Assert.Equal(["7"], grpcModel.Versions);
        Assert.Equal(restModel.GetProperty("versions").EnumerateArray().Select(e => e.GetString()), grpcModel.Versions);
        Assert.Equal(restModel.GetProperty("platform").GetString(), grpcModel.Platform);
        Assert.Equal(Describe(restModel, "inputs"), grpcModel.Inputs.Select(t => $"{t.Name} {t.Datatype} [{string.Join(", ", t.Shape)}]"));
        Assert.Equal(Describe(restModel, "outputs"), grpcModel.Outputs.Select(t => $"{t.Name} {t.Datatype} [{string.Join(", ", t.Shape)}]"));
        Assert.Equal(["probabilities FP32 [-1, 10]", "label INT64 [-1]"], Describe(restModel, "outputs"));
    }

    [Fact]
    public async Task Typed_contents_answer_bit_for_bit_what_REST_JSON_answers()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(3, seed: 70);
        var rest = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels, id: "batch-70"))));

        var grpc = await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels, id: "batch-70"));

        Assert.Equal("fashion-mnist", grpc.ModelName);
        Assert.Equal("7", grpc.ModelVersion);
        Assert.Equal("batch-70", grpc.Id);
        Assert.Equal(rest.GetProperty("id").GetString(), grpc.Id);
        Assert.Empty(grpc.RawOutputContents);
        Assert.Equal(["probabilities", "label"], grpc.Outputs.Select(o => o.Name));
        var probabilities = GrpcRequests.Output(grpc, "probabilities");
        Assert.Equal("FP32", probabilities.Datatype);
        Assert.Equal([3L, 10L], probabilities.Shape);
        // Exact equality: REST writes floats in round-trip form, so both must carry the very same bits.
        Assert.Equal(InferRequests.Floats(Output(rest, "probabilities").GetProperty("data")), probabilities.Contents.Fp32Contents.ToArray());
        var label = GrpcRequests.Output(grpc, "label");
        Assert.Equal("INT64", label.Datatype);
        Assert.Equal([3L], label.Shape);
        Assert.Equal(InferRequests.Longs(Output(rest, "label").GetProperty("data")), label.Contents.Int64Contents.ToArray());
        Assert.Equal(fixture.Reference.Run(pixels).Labels, label.Contents.Int64Contents.ToArray());
    }

    [Fact]
    public async Task Raw_contents_answer_raw_bytes_identical_to_REST_s_binary_extension()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(2, seed: 71);
        var (restHeader, restOutputs) = await DatatypeRequests.ReadBinaryAsync(await server.Client.PostAsync(server.InferPath,
            InferRequests.Binary(pixels, new JsonObject { ["parameters"] = new JsonObject { ["binary_data_output"] = true } })));

        var grpc = await server.Grpc.ModelInferAsync(GrpcRequests.Raw(pixels));

        Assert.Equal(2, grpc.RawOutputContents.Count);
        Assert.All(grpc.Outputs, o => Assert.Null(o.Contents));
        Assert.Equal(restOutputs["probabilities"], GrpcRequests.RawOutput(grpc, "probabilities"));
        Assert.Equal(restOutputs["label"], GrpcRequests.RawOutput(grpc, "label"));
        Assert.Equal([2L, 10L], GrpcRequests.Output(grpc, "probabilities").Shape);
        Assert.Equal(2 * 10 * sizeof(float), restOutputs["probabilities"].Length);
        Assert.Equal(restHeader.GetProperty("model_version").GetString(), grpc.ModelVersion);
        AssertClose(fixture.Reference.Run(pixels).Probabilities, MemoryMarshal.Cast<byte, float>(GrpcRequests.RawOutput(grpc, "probabilities")).ToArray());
    }

    [Fact]
    public async Task Requested_outputs_and_a_version_are_honoured_like_REST_s()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(2, seed: 72);
        var restRequest = InferRequests.Json(pixels);
        restRequest["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" });
        var rest = await ReadJsonAsync(await server.Client.PostAsync("/v2/models/fashion-mnist/versions/7/infer", InferRequests.Content(restRequest)));
        var typed = GrpcRequests.Typed(pixels, version: "7");
        typed.Outputs.Add(GrpcRequests.Output("label"));
        // binary_data on a requested output asks for raw contents even though the inputs were typed.
        var asRaw = GrpcRequests.Typed(pixels);
        asRaw.Outputs.Add(GrpcRequests.Output("probabilities", binaryData: true));
        // A client that sends raw inputs but wants typed outputs says so with binary_data_output false.
        var rawIn = GrpcRequests.Raw(pixels);
        rawIn.Parameters["binary_data_output"] = new Serving.Protocol.Inference.InferParameter { BoolParam = false };

        var label = await server.Grpc.ModelInferAsync(typed);
        var probabilities = await server.Grpc.ModelInferAsync(asRaw);
        var typedOut = await server.Grpc.ModelInferAsync(rawIn);

        Assert.Equal(["label"], label.Outputs.Select(o => o.Name));
        Assert.Equal(InferRequests.Longs(Output(rest, "label").GetProperty("data")), label.Outputs[0].Contents.Int64Contents.ToArray());
        Assert.Equal(["probabilities"], probabilities.Outputs.Select(o => o.Name));
        var expected = fixture.Reference.Run(pixels).Probabilities;
        Assert.Equal(MemoryMarshal.AsBytes(expected.AsSpan()).ToArray(), probabilities.RawOutputContents.Single().ToByteArray());
        Assert.Empty(typedOut.RawOutputContents);
        Assert.Equal(expected, GrpcRequests.Output(typedOut, "probabilities").Contents.Fp32Contents.ToArray());
    }

    [Fact]
    public async Task Inference_metrics_count_gRPC_calls_by_HTTP_equivalent_and_gRPC_code()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(2, seed: 73);
        var wrong = GrpcRequests.Typed(pixels);
        wrong.Inputs[0].Name = "pixels";

        await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels));
        await server.Grpc.ModelInferAsync(GrpcRequests.Raw(pixels));
        await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(wrong));

        var series = await server.GetSeriesAsync();
        (string, string)[] model = [("model", "fashion-mnist"), ("version", "7")];
        Assert.Equal(2, series.Value("mlops_inference_requests_total", [.. model, ("code", "200")]));
        Assert.Equal(1, series.Value("mlops_inference_requests_total", [.. model, ("code", "400")]));
        Assert.Equal(2, series.Value("mlops_grpc_requests_total", [.. model, ("grpc_code", "OK")]));
        Assert.Equal(1, series.Value("mlops_grpc_requests_total", [.. model, ("grpc_code", "InvalidArgument")]));
        Assert.Equal(0, series.Value("mlops_grpc_requests_total", [.. model, ("grpc_code", "Unavailable")]));
        var metrics = await server.GetMetricsAsync();
        Assert.Equal(2, metrics["nv_inference_request_success"]);
        Assert.Equal(1, metrics["nv_inference_request_failure"]);
        Assert.Equal(4, metrics["nv_inference_count"]);
        Assert.Equal(3, series.Value("mlops_inference_request_duration_seconds_count", model));
        // The predicted classes of gRPC answers are counted like REST's.
        Assert.Equal(4, series.Where("mlops_predicted_class_total", model).Sum(s => s.Value));
    }

    [Fact]
    public async Task Each_API_answers_only_on_its_own_port()
    {
        await using var server = await TestServer.StartAsync(fixture);
        using var h2c = new HttpClient { BaseAddress = server.Server.GrpcAddress };
        using var restOnGrpcPort = new HttpRequestMessage(HttpMethod.Get, "/v2/health/live")
        {
            Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var restChannel = global::Grpc.Net.Client.GrpcChannel.ForAddress(server.Server.Addresses[0]);

        var error = await ReadErrorAsync(await h2c.SendAsync(restOnGrpcPort), HttpStatusCode.NotFound);
        var grpcOnRestPort = await Assert.ThrowsAsync<RpcException>(async () =>
            await new GRPCInferenceService.GRPCInferenceServiceClient(restChannel).ServerLiveAsync(new ServerLiveRequest()));

        Assert.StartsWith($"Port {server.Server.GrpcAddress.Port} serves only gRPC", error);
        Assert.NotEqual(StatusCode.OK, grpcOnRestPort.StatusCode);
        Assert.NotEqual(server.Server.Addresses[0].Port, server.Server.GrpcAddress.Port);
        Assert.True((await ReadJsonAsync(await server.Client.GetAsync("/v2/health/live"))).GetProperty("live").GetBoolean());
    }

    [Fact]
    public async Task On_every_interface_with_free_ports_both_APIs_answer_on_their_own_bound_port()
    {
        await using var server = await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { BindAddress = "*" });
        var grpcPort = server.Server.GrpcAddress.Port;
        var restPort = Assert.Single(server.Server.Addresses).Port;
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") };

        var live = await new GRPCInferenceService.GRPCInferenceServiceClient(channel).ServerLiveAsync(new ServerLiveRequest());

        Assert.True(live.Live);
        Assert.NotEqual(0, grpcPort);
        Assert.NotEqual(restPort, grpcPort);
        Assert.True((await ReadJsonAsync(await rest.GetAsync("/v2/health/ready"))).GetProperty("ready").GetBoolean());
    }

    private static string[] Describe(System.Text.Json.JsonElement metadata, string property) =>
        metadata.GetProperty(property).EnumerateArray()
            .Select(t => $"{t.GetProperty("name").GetString()} {t.GetProperty("datatype").GetString()} [{string.Join(", ", t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))}]")
            .ToArray();
}
