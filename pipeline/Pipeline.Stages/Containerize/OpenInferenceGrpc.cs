using System.Globalization;
using Google.Protobuf;
using Pipeline.OnnxRuntime;
using Serving.Protocol.Inference;

namespace Pipeline.Stages;

/// <summary>
/// The Open Inference Protocol's gRPC ModelInfer request and response as the pipeline's models speak them: the same
/// inputs and outputs as <see cref="OpenInferenceJson"/>, in typed contents (fp32_contents, int64_contents, bytes_contents…)
/// or, with <c>raw</c>, as raw_input_contents in row-major little-endian bytes (BYTES elements with their 4-byte length prefix).
/// </summary>
public static class OpenInferenceGrpc
{
    public static ModelInferRequest InferRequest(string modelName, IReadOnlyList<NamedTensor> inputs, string? id = null, bool raw = false)
    {
        var request = new ModelInferRequest { ModelName = modelName, Id = id ?? Guid.NewGuid().ToString("N") };
        foreach (var input in inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = OpenInferenceJson.Datatype(input.Tensor) };
            tensor.Shape.AddRange(input.Tensor.Shape);
            if (raw) request.RawInputContents.Add(RawBytes(input.Tensor));
            else tensor.Contents = Contents(input.Tensor);
            request.Inputs.Add(tensor);
        }

        return request;
    }

    /// <summary>Reads a ModelInfer response in typed or raw contents; a response that is not one names what is missing.</summary>
    public static InferenceAnswer ParseAnswer(ModelInferResponse response)
    {
        var outputs = response.Outputs.Select((o, i) => (Output: o, Raw: i < response.RawOutputContents.Count ? response.RawOutputContents[i] : null))
            .ToDictionary(o => o.Output.Name);
        if (!outputs.TryGetValue("probabilities", out var probabilities) || !outputs.TryGetValue("label", out var labels))
            throw new InvalidDataException($"The ModelInfer response has outputs [{string.Join(", ", outputs.Keys)}], not probabilities and label.");
        return new InferenceAnswer(response.ModelVersion, Probabilities(probabilities.Output, probabilities.Raw), Labels(labels.Output, labels.Raw));
    }

    private static float[] Probabilities(ModelInferResponse.Types.InferOutputTensor output, ByteString? raw)
    {
        if (output.Datatype != "FP32") throw new InvalidDataException($"The probabilities output is {output.Datatype}, not FP32.");
        if (raw is null) return output.Contents?.Fp32Contents.ToArray() ?? throw new InvalidDataException("The probabilities output has no contents.");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.Span).ToArray();
    }

    private static string[] Labels(ModelInferResponse.Types.InferOutputTensor output, ByteString? raw) => output.Datatype switch
    {
        "INT64" when raw is null => output.Contents?.Int64Contents.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()
                                    ?? throw new InvalidDataException("The label output has no contents."),
        "INT64" => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw.Span).ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
        "BYTES" when raw is null => output.Contents?.BytesContents.Select(b => b.ToStringUtf8()).ToArray()
                                    ?? throw new InvalidDataException("The label output has no contents."),
        "BYTES" => LengthPrefixedStrings(raw.Span),
        var other => throw new InvalidDataException($"The label output is {other}; a classifier's labels are INT64 or BYTES."),
    };

    private static string[] LengthPrefixedStrings(ReadOnlySpan<byte> raw)
    {
        var values = new List<string>();
        while (raw.Length > 0)
        {
            if (raw.Length < 4) throw new InvalidDataException("A BYTES output ends inside an element's 4-byte length.");
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(raw);
            if (length < 0 || length > raw.Length - 4) throw new InvalidDataException($"A BYTES element claims {length} bytes; {raw.Length - 4} remain.");
            values.Add(System.Text.Encoding.UTF8.GetString(raw.Slice(4, length)));
            raw = raw[(4 + length)..];
        }

        return values.ToArray();
    }

    private static InferTensorContents Contents(DenseTensor tensor)
    {
        var contents = new InferTensorContents();
        switch (tensor)
        {
            case DenseTensor<float> floats: contents.Fp32Contents.AddRange(floats.Span.ToArray()); break;
            case DenseTensor<double> doubles: contents.Fp64Contents.AddRange(doubles.Span.ToArray()); break;
            case DenseTensor<int> ints: contents.IntContents.AddRange(ints.Span.ToArray()); break;
            case DenseTensor<long> longs: contents.Int64Contents.AddRange(longs.Span.ToArray()); break;
            case DenseTensor<bool> bools: contents.BoolContents.AddRange(bools.Span.ToArray()); break;
            case StringTensor strings: contents.BytesContents.AddRange(strings.Values.Select(ByteString.CopyFromUtf8)); break;
            default: throw new NotSupportedException($"Cannot send {tensor.ElementType} values over gRPC.");
        }

        return contents;
    }

    private static ByteString RawBytes(DenseTensor tensor)
    {
        switch (tensor)
        {
            case DenseTensor<float> floats: return ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.Span));
            case DenseTensor<double> doubles: return ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(doubles.Span));
            case DenseTensor<int> ints: return ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ints.Span));
            case DenseTensor<long> longs: return ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(longs.Span));
            case DenseTensor<bool> bools: return ByteString.CopyFrom(bools.Span.ToArray().Select(b => (byte)(b ? 1 : 0)).ToArray());
            case StringTensor strings:
                var buffer = new MemoryStream();
                Span<byte> prefix = stackalloc byte[4];
                foreach (var value in strings.Values)
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(value);
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(prefix, bytes.Length);
                    buffer.Write(prefix);
                    buffer.Write(bytes);
                }

                return ByteString.CopyFrom(buffer.ToArray());
            default: throw new NotSupportedException($"Cannot send {tensor.ElementType} values as raw gRPC contents.");
        }
    }
}
