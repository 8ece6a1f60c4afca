using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.OnnxRuntime;
using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// Reads the JSON "data" of a non-FP32 input (flat or nested arrays, row-major) token by token into a buffer of the
/// input's element type: FP64 numbers or null (NaN, a missing value), INT32 and INT64 integers in range, BOOL
/// true or false, BYTES strings. The FP32 fast path is <see cref="JsonNumberArrayScanner"/>.
/// </summary>
internal static class JsonTensorDataReader
{
    /// <param name="data">Exactly the text of the "data" value.</param>
    /// <param name="maxBatchSize">With the input's row size, bounds the elements read before the shape is checked.</param>
    public static TensorBuffer Read(ReadOnlySpan<byte> data, TensorSpec spec, RequestInput input, int maxBatchSize)
    {
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 32 });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
            throw ServingException.BadRequest($"Input {input.Label} data must be an array ({Expectation(spec)}); found {Describe(reader)}.");
        var maxElements = (int)Math.Min((long)maxBatchSize * spec.RowElementCount, Array.MaxLength);
        var capacity = (int)Math.Clamp(input.Shape is null ? 16 : InputDataReader.ElementCount(input.Shape), 1, maxElements);
        return spec.ElementType switch
        {
            TensorElementType.Double => ReadValues<double>(ref reader, spec, input, capacity, maxElements, maxBatchSize),
            TensorElementType.Int32 => ReadValues<int>(ref reader, spec, input, capacity, maxElements, maxBatchSize),
            TensorElementType.Int64 => ReadValues<long>(ref reader, spec, input, capacity, maxElements, maxBatchSize),
            TensorElementType.Bool => ReadValues<bool>(ref reader, spec, input, capacity, maxElements, maxBatchSize),
            TensorElementType.String => ReadStrings(ref reader, spec, input, capacity, maxElements, maxBatchSize),
            // FP32 takes the scanner; the model loader refuses every other type.
            var type => throw new NotSupportedException($"Element type {type} has no JSON reader."),
        };
    }

    private static TensorBuffer<T> ReadValues<T>(ref Utf8JsonReader reader, TensorSpec spec, RequestInput input,
        int capacity, int maxElements, int maxBatchSize) where T : unmanaged
    {
        var values = ArrayPool<T>.Shared.Rent(capacity);
        var count = 0;
        try
        {
            while (NextElement(ref reader))
            {
                if (count == maxElements) throw TooMany(spec, input, maxElements, maxBatchSize);
                if (count == values.Length) values = Grow(values, maxElements);
                values[count] = Convert<T>(ref reader, spec, input, count);
                count++;
            }

            return new TensorBuffer<T>(values, count);
        }
        catch
        {
            ArrayPool<T>.Shared.Return(values);
            throw;
        }
    }

    private static StringTensorBuffer ReadStrings(ref Utf8JsonReader reader, TensorSpec spec, RequestInput input,
        int capacity, int maxElements, int maxBatchSize)
    {
        var values = new List<string>(capacity);
        while (NextElement(ref reader))
        {
            if (values.Count == maxElements) throw TooMany(spec, input, maxElements, maxBatchSize);
            if (reader.TokenType != JsonTokenType.String) throw WrongElement(reader, spec, input, values.Count);
            values.Add(GetString(ref reader, input, values.Count));
        }

        var buffer = new StringTensorBuffer(values.Count);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    private static string GetString(ref Utf8JsonReader reader, RequestInput input, int index)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException)
        {
            // The reader checks UTF-8 only when it decodes a string.
            throw ServingException.BadRequest($"Input {input.Label} (BYTES) element {index} is not valid UTF-8; JSON text must be UTF-8.");
        }
    }

    /// <summary>Reads up to the next element, through nested arrays; false once the outer array (depth 0) closes.</summary>
    private static bool NextElement(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.StartArray) continue;
            if (reader.TokenType != JsonTokenType.EndArray) return true;
            if (reader.CurrentDepth == 0) return false;
        }

        // The request reader has already skipped over this value, so it is complete JSON.
        throw new InvalidOperationException("A data array ended without closing.");
    }

    private static T Convert<T>(ref Utf8JsonReader reader, TensorSpec spec, RequestInput input, int index) where T : unmanaged
    {
        var token = reader.TokenType;
        if (typeof(T) == typeof(double))
        {
            if (token == JsonTokenType.Null) return (T)(object)double.NaN;
            if (token == JsonTokenType.Number && reader.TryGetDouble(out var d)) return (T)(object)d;
        }
        else if (typeof(T) == typeof(int))
        {
            if (token == JsonTokenType.Number && reader.TryGetInt32(out var i)) return (T)(object)i;
        }
        else if (typeof(T) == typeof(long))
        {
            if (token == JsonTokenType.Number && reader.TryGetInt64(out var l)) return (T)(object)l;
        }
        else if (typeof(T) == typeof(bool))
        {
            if (token is JsonTokenType.True or JsonTokenType.False) return (T)(object)(token == JsonTokenType.True);
        }

        throw WrongElement(reader, spec, input, index);
    }

    private static ServingException WrongElement(in Utf8JsonReader reader, TensorSpec spec, RequestInput input, int index)
    {
        var prefix = $"Input {input.Label} ({spec.Datatype}) element {index}";
        if (reader.TokenType == JsonTokenType.Number)
        {
            var text = Encoding.UTF8.GetString(reader.ValueSpan);
            if (spec.ElementType is TensorElementType.Int32 or TensorElementType.Int64)
            {
                var integral = text.AsSpan().IndexOfAny(".eE") < 0;
                return ServingException.BadRequest(integral
                    ? $"{prefix} is {text}, outside the {spec.Datatype} range {(spec.ElementType == TensorElementType.Int32 ? "-2147483648 to 2147483647" : "-9223372036854775808 to 9223372036854775807")}."
                    : $"{prefix} is {text}, not an integer; {spec.Datatype} takes whole numbers written without a fraction or exponent.");
            }

            if (spec.ElementType == TensorElementType.Double)
                return ServingException.BadRequest($"{prefix} is {text}, outside the FP64 range.");
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return ServingException.BadRequest(
                $"{prefix} is null, but only FP32 and FP64 take null (a missing value); {spec.Datatype} takes {Expectation(spec)}.");
        }

        return ServingException.BadRequest($"{prefix} is {Describe(reader)}, but {spec.Datatype} takes {Expectation(spec)}.");
    }

    private static ServingException TooMany(TensorSpec spec, RequestInput input, int maxElements, int maxBatchSize) =>
        ServingException.BadRequest(
            $"Input {input.Label} has more than {maxElements} values: at most {maxBatchSize} rows of shape {spec.DescribeShape()} fit in one request.");

    private static string Expectation(TensorSpec spec) => spec.ElementType switch
    {
        TensorElementType.Float or TensorElementType.Double => "numbers, or null for a missing value",
        TensorElementType.Int32 or TensorElementType.Int64 => "integers",
        TensorElementType.Bool => "true or false",
        TensorElementType.String => "strings",
        _ => spec.Datatype,
    };

    private static string Describe(in Utf8JsonReader reader) => InferenceRequestParser.Describe(reader.TokenType);

    private static T[] Grow<T>(T[] values, int maxElements)
    {
        var larger = ArrayPool<T>.Shared.Rent((int)Math.Min((long)values.Length * 2, maxElements));
        values.CopyTo(larger, 0);
        ArrayPool<T>.Shared.Return(values);
        return larger;
    }
}
