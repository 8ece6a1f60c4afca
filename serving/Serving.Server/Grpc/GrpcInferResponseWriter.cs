using Serving.Protocol.Inference;
using Serving.Server.Inference;

namespace Serving.Server.Grpc;

/// <summary>
/// Builds a ModelInferResponse from a finished call. The protocol allows raw_output_contents only for every output or
/// none, so when any output was asked for as binary (or the request sent raw inputs) all of them go raw.
/// </summary>
internal static class GrpcInferResponseWriter
{
    public static ModelInferResponse Write(InferenceCall call)
    {
        var model = call.Model;
        var raw = call.AnyBinaryOutput;
        var response = new ModelInferResponse { ModelName = model.Name, ModelVersion = model.Version, Id = call.Id ?? "" };
        for (var i = 0; i < call.Outputs.Count; i++)
        {
            var (outputIndex, buffer) = call.Outputs[i];
            var spec = model.Outputs[outputIndex];
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = spec.Name, Datatype = spec.Datatype };
            tensor.Shape.Add(call.Rows);
            for (var d = 1; d < spec.Rank; d++) tensor.Shape.Add(spec.Shape[d]);
            if (raw) response.RawOutputContents.Add(GrpcTensorContents.WriteRaw(buffer));
            else tensor.Contents = GrpcTensorContents.Write(buffer);
            response.Outputs.Add(tensor);
        }

        return response;
    }
}
