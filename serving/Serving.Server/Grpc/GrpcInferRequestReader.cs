using System.Buffers;
using Google.Protobuf.Collections;
using Serving.Protocol.Inference;
using Serving.Server.Inference;
using Serving.Server.Model;

namespace Serving.Server.Grpc;

/// <summary>
/// Turns a ModelInferRequest into the <see cref="InferenceRequest"/> REST's parser would produce and binds it with
/// <see cref="InferenceCallBinder"/>, so both protocols are checked alike and refused with the same messages. Typed
/// contents become buffers of the model's element type; raw_input_contents take the binary tensor extension's path,
/// each input's raw bytes standing as its binary_data_size.
/// </summary>
internal static class GrpcInferRequestReader
{
    public const string BinaryDataOutputParameter = "binary_data_output";
    public const string BinaryDataParameter = "binary_data";

    private const int MaxRank = 16;

    public static InferenceCall Bind(ModelInferRequest message, ServedModel model, int maxBatchSize)
    {
        using var request = Read(message, model.Inputs);
        var raw = message.RawInputContents;
        if (raw.Count == 0) return InferenceCallBinder.Bind(request, default, hasBinarySection: false, model, maxBatchSize);

        // One contiguous section, as the REST binary extension has after its JSON header: the binder reads it in input order.
        var total = 0;
        foreach (var bytes in raw) total += bytes.Length;
        var section = ArrayPool<byte>.Shared.Rent(Math.Max(total, 1));
        try
        {
            var offset = 0;
            foreach (var bytes in raw)
            {
                bytes.Span.CopyTo(section.AsSpan(offset));
                offset += bytes.Length;
            }

            return InferenceCallBinder.Bind(request, section.AsSpan(0, total), hasBinarySection: true, model, maxBatchSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(section);
        }
    }

    private static InferenceRequest Read(ModelInferRequest message, IReadOnlyList<TensorSpec> modelInputs)
    {
        var request = new InferenceRequest { Id = message.Id.Length == 0 ? null : message.Id };
        try
        {
            var raw = message.RawInputContents;
            // Raw in, raw out unless the client says otherwise: a client that sends raw bytes reads them too (Triton's habit).
            request.BinaryDataOutput = GrpcParameters.ReadBool(message.Parameters, BinaryDataOutputParameter, "Parameter binary_data_output") ?? raw.Count > 0;
            if (message.Inputs.Count > modelInputs.Count) throw ServingException.BadRequest(InferenceMessages.TooManyInputs(modelInputs.Count));
            if (raw.Count > 0 && raw.Count != message.Inputs.Count)
            {
                throw ServingException.BadRequest(
                    $"The request has {raw.Count} raw_input_contents for {message.Inputs.Count} inputs; send one per input, in the order of inputs.");
            }

            for (var i = 0; i < message.Inputs.Count; i++)
            {
                var tensor = message.Inputs[i];
                var input = new RequestInput(i) { Name = NullIfEmpty(tensor.Name), Datatype = NullIfEmpty(tensor.Datatype) };
                request.Inputs.Add(input);
                input.Shape = ReadShape(tensor.Shape, input);
                if (raw.Count > 0)
                {
                    if (GrpcTensorContents.HasAny(tensor.Contents))
                        throw ServingException.BadRequest($"Input {input.Label} has both contents and raw_input_contents; send its values one way.");
                    input.BinaryDataSize = raw[i].Length;
                }
                else if (InputDataReader.Find(modelInputs, input.Name) is { } spec && input.Datatype == spec.Datatype)
                {
                    // An unknown name or a wrong datatype is left to the binder, which words it as it does for REST.
                    input.SetData(GrpcTensorContents.Read(tensor.Contents, spec, input));
                }
            }

            request.Outputs = ReadOutputs(message.Outputs);
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static long[]? ReadShape(RepeatedField<long> shape, RequestInput input)
    {
        if (shape.Count == 0) return null;
        if (shape.Count > MaxRank) throw ServingException.BadRequest($"Input {input.Label} shape has more than {MaxRank} dimensions.");
        var dims = new long[shape.Count];
        for (var d = 0; d < dims.Length; d++)
        {
            dims[d] = shape[d];
            if (dims[d] < 0) throw ServingException.BadRequest($"Input {input.Label} shape must hold non-negative integers.");
        }

        return dims;
    }

    private static List<RequestedOutput>? ReadOutputs(RepeatedField<ModelInferRequest.Types.InferRequestedOutputTensor> outputs)
    {
        if (outputs.Count == 0) return null;
        var requested = new List<RequestedOutput>(outputs.Count);
        for (var i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            if (output.Name.Length == 0) throw ServingException.BadRequest($"outputs[{i}] has no \"name\".");
            requested.Add(new RequestedOutput(output.Name,
                GrpcParameters.ReadBool(output.Parameters, BinaryDataParameter, $"outputs[{i}] parameter binary_data")));
        }

        return requested;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
