using System.Runtime.InteropServices;
using Google.Protobuf;
using Serving.Protocol.Inference;

namespace Serving.Server.Tests.Support;

/// <summary>Builds ModelInferRequests the way Triton and KServe gRPC clients write them, and reads their answers.</summary>
public static class GrpcRequests
{
    public const string ModelName = "fashion-mnist";

    /// <summary>The "input" tensor with its values in fp32_contents.</summary>
    public static ModelInferRequest Typed(float[] pixels, string? id = null, string version = "")
    {
        var request = Request(pixels.Length / TestModels.Features, id, version);
        request.Inputs[0].Contents = new InferTensorContents();
        request.Inputs[0].Contents.Fp32Contents.Add(pixels);
        return request;
    }

    /// <summary>The "input" tensor as raw_input_contents: little-endian floats, no contents.</summary>
    public static ModelInferRequest Raw(float[] pixels, string? id = null)
    {
        var request = Request(pixels.Length / TestModels.Features, id, "");
        request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(pixels.AsSpan())));
        return request;
    }

    public static ModelInferRequest.Types.InferRequestedOutputTensor Output(string name, bool? binaryData = null)
    {
        var output = new ModelInferRequest.Types.InferRequestedOutputTensor { Name = name };
        if (binaryData is { } binary) output.Parameters["binary_data"] = new InferParameter { BoolParam = binary };
        return output;
    }

    public static ModelInferResponse.Types.InferOutputTensor Output(ModelInferResponse response, string name) =>
        response.Outputs.Single(o => o.Name == name);

    /// <summary>The raw bytes of a named output of a raw response (raw_output_contents follows the order of outputs).</summary>
    public static byte[] RawOutput(ModelInferResponse response, string name)
    {
        var index = response.Outputs.IndexOf(Output(response, name));
        return response.RawOutputContents[index].ToByteArray();
    }

    private static ModelInferRequest Request(int rows, string? id, string version)
    {
        var request = new ModelInferRequest { ModelName = ModelName, ModelVersion = version, Id = id ?? "" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32" };
        input.Shape.Add([rows, TestModels.Features]);
        request.Inputs.Add(input);
        return request;
    }
}
