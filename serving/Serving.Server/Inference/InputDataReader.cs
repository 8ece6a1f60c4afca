using System.Buffers;
using System.Text.Json;
using Pipeline.OnnxRuntime;
using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// Reads one input's "data" value in the element type of the model input it names, for
/// <see cref="InferenceRequestParser"/>: FP32 through <see cref="JsonNumberArrayScanner"/>, other datatypes through
/// <see cref="JsonTensorDataReader"/>.
/// </summary>
internal static class InputDataReader
{
    /// <summary>
    /// Reads "data" in the element type of the model input the request names. FP32 is scanned in place; other
    /// types are skipped over and then read from their slice of the text. Data that comes before the input's name
    /// is only located here and read when the input object ends; data of an input the model does not have is never
    /// read (the binder refuses the request).
    /// </summary>
    public static void ReadData(ref Utf8JsonReader reader, ref int offset, ReadOnlySpan<byte> json, RequestInput input,
        IReadOnlyList<TensorSpec> modelInputs, int maxBatchSize)
    {
        var spec = Find(modelInputs, input.Name);
        if (spec is not null && input.Datatype is { } datatype && datatype != spec.Datatype)
            throw ServingException.BadRequest(InferenceMessages.WrongDatatype(input.Label, datatype, spec.Datatype));
        if (spec is { ElementType: TensorElementType.Float })
        {
            input.SetData(ReadFloatData(ref reader, ref offset, json, input));
            return;
        }

        var start = SkipWhitespace(json, offset + (int)reader.BytesConsumed);
        reader.Skip();
        var end = offset + (int)reader.BytesConsumed;
        input.ReleaseData();
        if (spec is null) input.DeferredData = (start, end);
        else input.SetData(ReadDataAt(json, start, end, spec, input, maxBatchSize));
    }

    /// <summary>Reads a "data" value that spans json[start..end].</summary>
    public static TensorBuffer ReadDataAt(ReadOnlySpan<byte> json, int start, int end, TensorSpec spec, RequestInput input, int maxBatchSize)
    {
        if (spec.ElementType != TensorElementType.Float)
            return JsonTensorDataReader.Read(json[start..end], spec, input, maxBatchSize);
        if (json[start] != (byte)'[')
            throw ServingException.BadRequest($"Input {input.Label} data must be an array of numbers; found {DescribeStart(json[start])}.");
        var values = ArrayPool<float>.Shared.Rent(Math.Clamp(end - start, 16, 4096));
        var count = 0;
        try
        {
            JsonNumberArrayScanner.Scan(json[..end], start, ref values, ref count, input);
            return new TensorBuffer<float>(values, count);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(values);
            throw;
        }
    }

    public static TensorSpec? Find(IReadOnlyList<TensorSpec> specs, string? name)
    {
        if (name is null) return null;
        foreach (var spec in specs)
            if (spec.Name == name) return spec;
        return null;
    }

    private static string DescribeStart(byte c) => c switch
    {
        (byte)'"' => "a string",
        (byte)'t' or (byte)'f' => "a boolean",
        (byte)'n' => "null",
        (byte)'{' => "an object",
        _ => "a number",
    };

    /// <summary>
    /// Reads "data" (flat or nested arrays, row-major) into a pooled buffer. The array's bytes are scanned directly,
    /// then the reader resumes after it: a reader fed "[]" from the state after the property name is in the state
    /// the real array would have left, and a new reader continues from there over the rest of the text.
    /// </summary>
    private static TensorBuffer<float> ReadFloatData(ref Utf8JsonReader reader, ref int offset, ReadOnlySpan<byte> json, RequestInput input)
    {
        var start = SkipWhitespace(json, offset + (int)reader.BytesConsumed);
        if (start >= json.Length || json[start] != (byte)'[')
        {
            reader.Read();
            throw InferenceRequestParser.Found(reader, $"Input {input.Label} data must be an array of numbers");
        }

        // Each value takes at least two bytes ("0,"), which bounds a buffer sized from a claimed shape.
        var capacity = (int)Math.Clamp(ElementCount(input.Shape), 16, json.Length / 2 + 1);
        var values = ArrayPool<float>.Shared.Rent(capacity);
        var count = 0;
        try
        {
            var end = JsonNumberArrayScanner.Scan(json, start, ref values, ref count, input);
            var bridge = new Utf8JsonReader("[]"u8, isFinalBlock: false, reader.CurrentState);
            bridge.Read();
            bridge.Read();
            reader = new Utf8JsonReader(json[end..], isFinalBlock: true, bridge.CurrentState);
            offset = end;
            return new TensorBuffer<float>(values, count);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(values);
            throw;
        }
    }

    /// <summary>After a property name the reader has consumed the colon too; only whitespace can precede the value.</summary>
    private static int SkipWhitespace(ReadOnlySpan<byte> json, int position)
    {
        while (position < json.Length && json[position] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') position++;
        return position;
    }

    /// <summary>The element count a claimed shape needs, saturating instead of overflowing; 0 without a shape.</summary>
    public static long ElementCount(long[]? shape)
    {
        if (shape is null) return 0;
        long count = 1;
        foreach (var dim in shape) count = dim == 0 ? 0 : count > long.MaxValue / dim ? long.MaxValue : count * dim;
        return count;
    }
}
