using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Serving.Protocol.Inference;
using Serving.Server.Hosting;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.InferResponses;

namespace Serving.Server.Tests;

/// <summary>gRPC refusals: the contract's status codes, with exactly the message REST gives for the same request.</summary>
[Collection(ServingCollection.Name)]
public sealed class GrpcErrorTests(ServingFixture fixture)
{
    private const int MaxBatch = 4;

    public static TheoryData<string> BadRequests =>
    [
        "unknown input", "wrong datatype", "missing datatype", "wrong rank", "wrong dimension", "negative dimension", "batch over the limit",
        "too few values", "infinity", "unknown output", "output asked twice", "no inputs", "id too long",
    ];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_INVALID_ARGUMENT_with_the_message_REST_gives(string what)
    {
        await using var server = await TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { MaxBatchSize = MaxBatch });
        var pixels = TestModels.Pixels(1, seed: 80);
        var (rest, grpc) = Requests(what, pixels);
        var restError = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(rest)), HttpStatusCode.BadRequest);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(grpc));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(restError, error.Status.Detail);
        // The server is unharmed, and counted both refusals as 400.
        Assert.Single((await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels))).Outputs, o => o.Name == "label");
        var series = await server.GetSeriesAsync();
        Assert.Equal(2, series.Value("mlops_inference_requests_total", ("code", "400")));
        Assert.Equal(1, series.Value("mlops_grpc_requests_total", ("grpc_code", "InvalidArgument")));
    }

    [Fact]
    public async Task Raw_contents_that_do_not_fit_are_refused_with_REST_s_binary_message_or_say_what_to_send()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(1, seed: 81);
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray();
        var header = Encoding.UTF8.GetBytes("""{"inputs": [{"name": "input", "shape": [1, 784], "datatype": "FP32", "parameters": {"binary_data_size": 100}}]}""");
        var restError = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.BinaryBody(header, bytes[..100])), HttpStatusCode.BadRequest);
        var wrongSize = GrpcRequests.Raw(pixels);
        wrongSize.RawInputContents[0] = ByteString.CopyFrom(bytes[..100]);
        var twoRaw = GrpcRequests.Raw(pixels);
        twoRaw.RawInputContents.Add(ByteString.CopyFrom(bytes));
        var both = GrpcRequests.Raw(pixels);
        both.Inputs[0].Contents = new InferTensorContents();
        both.Inputs[0].Contents.Fp32Contents.Add(pixels);
        var wrongField = GrpcRequests.Typed(pixels);
        wrongField.Inputs[0].Contents = new InferTensorContents();
        wrongField.Inputs[0].Contents.IntContents.Add(pixels.Select(p => (int)p));

        Assert.Equal("Input 'input' has binary_data_size 100, but shape [1, 784] of FP32 needs 3136 bytes.", restError);
        Assert.Equal(restError, (await InvalidArgumentAsync(server, wrongSize)));
        Assert.Equal("The request has 2 raw_input_contents for 1 inputs; send one per input, in the order of inputs.", await InvalidArgumentAsync(server, twoRaw));
        Assert.Equal("Input 'input' has both contents and raw_input_contents; send its values one way.", await InvalidArgumentAsync(server, both));
        Assert.Equal("Input 'input' (FP32) has its values in int_contents; FP32 values go in fp32_contents (or raw_input_contents).",
            await InvalidArgumentAsync(server, wrongField));
    }

    [Fact]
    public async Task Request_ids_over_256_characters_are_refused_on_both_APIs_and_shorter_ones_echoed()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(1, seed: 82);
        var longest = new string('i', 256);
        var huge = new string('x', 1024 * 1024);

        var restHuge = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels, id: huge))), HttpStatusCode.BadRequest);
        var grpcHuge = await InvalidArgumentAsync(server, GrpcRequests.Typed(pixels, id: huge));
        var grpcOver = await InvalidArgumentAsync(server, GrpcRequests.Typed(pixels, id: longest + "i"));
        var restLongest = await ReadJsonAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels, id: longest))));
        var grpcLongest = await server.Grpc.ModelInferAsync(GrpcRequests.Raw(pixels, id: longest));

        Assert.Equal("The request id is 1048576 characters long; at most 256 are allowed.", restHuge);
        Assert.Equal(restHuge, grpcHuge);
        Assert.Equal("The request id is 257 characters long; at most 256 are allowed.", grpcOver);
        Assert.Equal(longest, restLongest.GetProperty("id").GetString());
        Assert.Equal(longest, grpcLongest.Id);
    }

    [Fact]
    public async Task An_unknown_model_or_version_is_NOT_FOUND_with_REST_s_message()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var pixels = TestModels.Pixels(1, seed: 83);
        var restModel = await ReadErrorAsync(await server.Client.PostAsync("/v2/models/nope/infer", InferRequests.Content(InferRequests.Json(pixels))), HttpStatusCode.NotFound);
        var restVersion = await ReadErrorAsync(await server.Client.PostAsync("/v2/models/fashion-mnist/versions/8/infer", InferRequests.Content(InferRequests.Json(pixels))), HttpStatusCode.NotFound);
        var unknownModel = GrpcRequests.Typed(pixels);
        unknownModel.ModelName = "nope";

        var model = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(unknownModel));
        var version = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels, version: "8")));

        Assert.Equal((StatusCode.NotFound, restModel), (model.StatusCode, model.Status.Detail));
        Assert.Equal((StatusCode.NotFound, restVersion), (version.StatusCode, version.Status.Detail));
        Assert.Equal("Unknown model 'nope'; this server serves 'fashion-mnist'.", restModel);
        var series = await server.GetSeriesAsync();
        Assert.Equal(4, series.Value("mlops_inference_requests_total", ("code", "404")));
        Assert.Equal(2, series.Value("mlops_grpc_requests_total", ("grpc_code", "NotFound")));
    }

    [Fact]
    public async Task Messages_over_the_body_limit_are_RESOURCE_EXHAUSTED()
    {
        var options = TestServer.DefaultOptions(fixture) with { MaxRequestBodyBytes = 64 * 1024 };
        await using var server = await TestServer.StartAsync(fixture, options);
        var over = GrpcRequests.Typed(TestModels.Pixels(30, seed: 84));
        var farOver = GrpcRequests.Typed(TestModels.Pixels(60, seed: 85));
        Assert.InRange(over.CalculateSize(), options.MaxRequestBodyBytes + 1, 2 * options.MaxRequestBodyBytes);
        Assert.True(farOver.CalculateSize() > 2 * options.MaxRequestBodyBytes);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(over));
        var far = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(farOver));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal($"The request body is {over.CalculateSize()} bytes, over this server's limit of 65536 bytes; send fewer rows per request.", error.Status.Detail);
        // Past twice the limit gRPC itself refuses the message from its length prefix, before reading it, as Kestrel
        // does for REST bodies; it is counted all the same, after gRPC has answered, hence the wait.
        Assert.Equal(StatusCode.ResourceExhausted, far.StatusCode);
        await Poll.UntilAsync(async () => (await server.GetSeriesAsync()).Value("mlops_inference_requests_total", ("code", "413")) == 2, "both refusals to be counted");
        var series = await server.GetSeriesAsync();
        Assert.Equal(0, series.Value("nv_inference_request_success"));
        Assert.Equal(2, series.Value("mlops_grpc_requests_total", ("grpc_code", "ResourceExhausted")));
        var pixels = TestModels.Pixels(1, seed: 86);
        Assert.Equal(fixture.Reference.Run(pixels).Labels, GrpcRequests.Output(await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels)), "label").Contents.Int64Contents);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_ModelInferRequest_are_refused_and_counted()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var bytes = new Marshaller<byte[]>(b => b, b => b);
        var modelInfer = new Method<byte[], byte[]>(MethodType.Unary, "inference.GRPCInferenceService", "ModelInfer", bytes, bytes);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.GrpcChannel.CreateCallInvoker().AsyncUnaryCall(modelInfer, null, new CallOptions(), [0x0A, 0xFF, 0xFF, 0xFF, 0xFF]));

        // gRPC's own answer to a message it cannot parse; the server never sees the call, but counts it as a client error.
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        await Poll.UntilAsync(async () => (await server.GetSeriesAsync()).Value("mlops_grpc_requests_total", ("grpc_code", "Unknown")) == 1,
            "the refused call to be counted");
        var series = await server.GetSeriesAsync();
        Assert.Equal(1, series.Value("mlops_inference_requests_total", ("code", "400")));
        Assert.Equal(0, series.Value("mlops_inference_requests_total", ("code", "500")));
    }

    [Fact]
    public async Task A_client_that_resets_its_call_before_the_message_is_read_is_counted_as_cancelled_not_as_a_bad_request()
    {
        await using var server = await TestServer.StartAsync(fixture);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var sent = new TaskCompletionSource();
        using var abort = new CancellationTokenSource();
        // A message announcing 1,000 bytes of which 10 arrive, then the stream is reset: what a load generator stopping
        // mid-run (h2load -D) or a client cancelling an upload does.
        var content = new PartialGrpcMessage(sent);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Server.GrpcAddress, "/inference.GRPCInferenceService/ModelInfer"))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        var call = http.SendAsync(request, abort.Token);
        await sent.Task;
        await Task.Delay(200);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await Poll.UntilAsync(async () => (await server.GetSeriesAsync()).Value("mlops_grpc_requests_total", ("grpc_code", "Cancelled")) == 1,
            "the reset call to be counted as cancelled");
        var series = await server.GetSeriesAsync();
        Assert.Equal(1, series.Value("mlops_inference_requests_total", ("code", "499")));
        Assert.Equal(0, series.Value("mlops_inference_requests_total", ("code", "400")));
        Assert.Equal(0, series.Value("mlops_grpc_requests_total", ("grpc_code", "Unknown")));
    }

    /// <summary>Sends a gRPC frame header for 1,000 bytes and 10 of them, then waits until the request is cancelled.</summary>
    private sealed class PartialGrpcMessage : HttpContent
    {
        private readonly TaskCompletionSource _sent;

        public PartialGrpcMessage(TaskCompletionSource sent)
        {
            _sent = sent;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(new byte[] { 0, 0, 0, 0x03, 0xE8, 0x0A, 0x0D, 1, 2, 3, 4, 5, 6, 7, 8 }, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            _sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task At_capacity_a_gRPC_call_is_UNAVAILABLE_with_REST_s_message_and_the_held_request_still_succeeds()
    {
        var options = TestServer.DefaultOptions(fixture) with { MaxConcurrentInferences = 1, MaxQueueSize = 0 };
        await using var server = await TestServer.StartAsync(fixture, options);
        var heldPixels = TestModels.Pixels(1, seed: 87);
        var held = new HeldRequestContent(Encoding.UTF8.GetBytes(InferRequests.Json(heldPixels).ToJsonString()));
        var heldResponse = server.Client.PostAsync(server.InferPath, held);
        await Poll.UntilAsync(async () => (await server.GetMetricsAsync())["nv_inference_pending_request_count"] == 1, "the held request to be admitted");
        var pixels = TestModels.Pixels(1, seed: 88);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels)));
        held.Release();

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal("The server is at capacity (1 inference requests in flight); retry shortly or lower the client's concurrency.", refused.Status.Detail);
        AssertMatchesReference(await ReadJsonAsync(await heldResponse), fixture.Reference, heldPixels);
        Assert.Equal(fixture.Reference.Run(pixels).Labels, GrpcRequests.Output(await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels)), "label").Contents.Int64Contents);
        var series = await server.GetSeriesAsync();
        Assert.Equal(1, series.Value("mlops_inference_requests_total", ("code", "503")));
        Assert.Equal(1, series.Value("mlops_grpc_requests_total", ("grpc_code", "Unavailable")));
    }

    [Fact]
    public async Task Until_warm_up_completes_gRPC_reports_not_ready_and_ModelInfer_is_UNAVAILABLE()
    {
        var gate = new HeldGate();
        await using var server = await TestServer.StartAsync(fixture, configureServices: s => s.AddSingleton<IReadinessGate>(gate), waitUntilReady: false);
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var health = new Health.HealthClient(server.GrpcChannel);
        var pixels = TestModels.Pixels(1, seed: 89);
        var restError = await ReadErrorAsync(await server.Client.PostAsync(server.InferPath, InferRequests.Content(InferRequests.Json(pixels))), HttpStatusCode.ServiceUnavailable);

        Assert.True((await server.Grpc.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.False((await server.Grpc.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.False((await server.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "fashion-mnist" })).Ready);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels)));
        Assert.Equal((StatusCode.Unavailable, restError), (refused.StatusCode, refused.Status.Detail));

        gate.Open.TrySetResult();
        await server.WaitUntilAsync(() => server.Server.IsReady, "readiness after the gate opens");

        Assert.True((await server.Grpc.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(fixture.Reference.Run(pixels).Labels, GrpcRequests.Output(await server.Grpc.ModelInferAsync(GrpcRequests.Typed(pixels)), "label").Contents.Int64Contents);
    }

    private static async Task<string> InvalidArgumentAsync(TestServer server, ModelInferRequest request)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(request));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error.Status.Detail;
    }

    /// <summary>The same mistake written as a REST JSON request and as a gRPC ModelInferRequest.</summary>
    private static (JsonObject RestRequest, ModelInferRequest GrpcRequest) Requests(string what, float[] pixels)
    {
        var rows = what == "batch over the limit" ? MaxBatch + 1 : 1;
        var values = what is "too few values" or "wrong dimension" ? pixels[..^1] : rows > 1 ? TestModels.Pixels(rows, seed: 80) : pixels;
        if (what == "infinity") values = [float.PositiveInfinity, .. values[1..]];
        var id = what == "id too long" ? new string('i', 300) : null;
        var rest = InferRequests.Json(what == "infinity" ? pixels : values, id);
        if (what == "infinity") rest["inputs"]![0]!["data"]![0] = JsonNode.Parse("1e39");
        var grpc = GrpcRequests.Typed(values, id);
        var restInput = rest["inputs"]![0]!.AsObject();
        var grpcInput = grpc.Inputs[0];
        // The shape the rows say, whatever the number of values (the helpers derive it from the values).
        SetShape(restInput, grpcInput, [rows, TestModels.Features]);
        switch (what)
        {
            case "unknown input":
                restInput["name"] = grpcInput.Name = "pixels";
                break;
            case "wrong datatype":
                restInput["datatype"] = grpcInput.Datatype = "INT32";
                break;
            case "missing datatype":
                restInput.Remove("datatype");
                grpcInput.Datatype = "";
                break;
            case "wrong rank":
                SetShape(restInput, grpcInput, [784]);
                break;
            case "wrong dimension":
                SetShape(restInput, grpcInput, [1, 783]);
                break;
            case "negative dimension":
                SetShape(restInput, grpcInput, [-1, 784]);
                break;
            case "unknown output":
                rest["outputs"] = new JsonArray(new JsonObject { ["name"] = "logits" });
                grpc.Outputs.Add(GrpcRequests.Output("logits"));
                break;
            case "output asked twice":
                rest["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" }, new JsonObject { ["name"] = "label" });
                grpc.Outputs.Add([GrpcRequests.Output("label"), GrpcRequests.Output("label")]);
                break;
            case "no inputs":
                rest["inputs"] = new JsonArray();
                grpc.Inputs.Clear();
                break;
        }

        return (rest, grpc);
    }

    private static void SetShape(JsonObject rest, ModelInferRequest.Types.InferInputTensor grpc, long[] shape)
    {
        rest["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray());
        grpc.Shape.Clear();
        grpc.Shape.Add(shape);
    }

    private sealed class HeldGate : IReadinessGate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            Reached.TrySetResult();
            await Open.Task.WaitAsync(cancellationToken);
        }
    }
}
