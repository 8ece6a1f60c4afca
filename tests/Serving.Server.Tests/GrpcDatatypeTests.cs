using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Serving.Protocol.Inference;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.Support.DatatypeRequests;

namespace Serving.Server.Tests;

/// <summary>
/// Every served datatype through gRPC, as typed contents and as raw contents, on the copying run path (a model with
/// strings) and the in-place one, compared with what REST's binary extension answers for the same values.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class GrpcDatatypeTests(ServingFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_datatype_round_trips_through_typed_contents(bool withStrings)
    {
        await using var server = await StartAsync(withStrings);
        var request = Request(withStrings);
        foreach (var input in request.Inputs) input.Contents = Contents(input.Name);

        var response = await server.Grpc.ModelInferAsync(request);

        Assert.Empty(response.RawOutputContents);
        Assert.Equal(F32, Typed(response, "f32_out", "FP32").Fp32Contents);
        Assert.Equal(F64, Typed(response, "f64_out", "FP64").Fp64Contents);
        Assert.Equal(I32, Typed(response, "i32_out", "INT32").IntContents);
        Assert.Equal(I64, Typed(response, "i64_out", "INT64").Int64Contents);
        Assert.Equal(Flag, Typed(response, "flag_out", "BOOL").BoolContents);
        // The missing-value check saw NaN where the input had one.
        Assert.Equal([false, true, false, false], Typed(response, "f32_missing", "BOOL").BoolContents);
        if (withStrings) Assert.Equal(Text, Typed(response, "text_out", "BYTES").BytesContents.Select(b => b.ToStringUtf8()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Raw_contents_of_every_datatype_answer_the_bytes_REST_s_binary_extension_answers(bool withStrings)
    {
        await using var server = await StartAsync(withStrings);
        var binary = BinaryInputs(withStrings);
        var (_, restOutputs) = await ReadBinaryAsync(await server.Client.PostAsync("/v2/models/fashion-mnist/infer",
            Binary(binary, new System.Text.Json.Nodes.JsonObject { ["parameters"] = new System.Text.Json.Nodes.JsonObject { ["binary_data_output"] = true } })));
        var request = Request(withStrings);
        foreach (var input in request.Inputs) request.RawInputContents.Add(ByteString.CopyFrom(binary.Single(b => b.Name == input.Name).Bytes));

        var response = await server.Grpc.ModelInferAsync(request);

        Assert.Equal(restOutputs.Keys.Order(), response.Outputs.Select(o => o.Name).Order());
        foreach (var (name, bytes) in restOutputs) Assert.Equal(bytes, GrpcRequests.RawOutput(response, name));
        if (withStrings) Assert.Equal(Text, Strings(GrpcRequests.RawOutput(response, "text_out")));
    }

    [Fact]
    public async Task BYTES_contents_that_are_not_UTF8_are_refused()
    {
        await using var server = await StartAsync(withStrings: true);
        var request = Request(withStrings: true);
        foreach (var input in request.Inputs) input.Contents = Contents(input.Name);
        request.Inputs.Single(i => i.Name == "text").Contents.BytesContents[2] = ByteString.CopyFrom(0xC3, 0x28);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Grpc.ModelInferAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Input 'text' (BYTES) element 2 is not valid UTF-8; the model's string input takes UTF-8 text.", error.Status.Detail);
    }

    private static ModelInferRequest Request(bool withStrings)
    {
        var request = new ModelInferRequest { ModelName = "fashion-mnist" };
        foreach (var (name, datatype, _) in DatatypeModels.Inputs.Where(i => withStrings || i.Datatype != "BYTES"))
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = datatype };
            input.Shape.Add([2, DatatypeModels.Width]);
            request.Inputs.Add(input);
        }

        return request;
    }

    private static InferTensorContents Contents(string input)
    {
        var contents = new InferTensorContents();
        switch (input)
        {
            case "f32": contents.Fp32Contents.Add(F32); break;
            case "f64": contents.Fp64Contents.Add(F64); break;
            case "i32": contents.IntContents.Add(I32); break;
            case "i64": contents.Int64Contents.Add(I64); break;
            case "flag": contents.BoolContents.Add(Flag); break;
            default: contents.BytesContents.Add(Text.Select(t => ByteString.CopyFrom(Encoding.UTF8.GetBytes(t)))); break;
        }

        return contents;
    }

    private static InferTensorContents Typed(ModelInferResponse response, string name, string datatype)
    {
        var output = GrpcRequests.Output(response, name);
        Assert.Equal(datatype, output.Datatype);
        Assert.Equal([2L, DatatypeModels.Width], output.Shape);
        return output.Contents;
    }

    private Task<TestServer> StartAsync(bool withStrings) => TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with
    {
        ModelPath = DatatypeModels.Write(fixture.TempFile(withStrings ? "grpc-all-types.onnx" : "grpc-numeric-types.onnx"), withStrings),
    });
}
