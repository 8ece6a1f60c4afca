using System.Text.Json;
using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// Reads an inference request JSON object with <see cref="Utf8JsonReader"/>, straight into pooled buffers of the
/// model's element type for each input: no DOM, no per-element objects. FP32 data (the common case) is scanned by
/// <see cref="JsonNumberArrayScanner"/>; other datatypes by <see cref="JsonTensorDataReader"/>. Properties may come
/// in any order; unknown ones are skipped. Structural mistakes (wrong JSON types) are reported here; mismatches
/// with the model are left to the binder.
/// </summary>
internal static class InferenceRequestParser
{
    private const int MaxRank = 16;

    /// <param name="modelInputs">The model's inputs: they say how to read each input's data, and more inputs than
    /// the model has are refused before their data is read, which bounds the buffers one request can claim.</param>
    /// <param name="maxBatchSize">Most rows per request; bounds the elements read for a non-FP32 input.</param>
    public static InferenceRequest Parse(ReadOnlySpan<byte> json, IReadOnlyList<TensorSpec> modelInputs, int maxBatchSize)
    {
        var request = new InferenceRequest();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
            // Where the current reader's text starts in json: ReadData replaces the reader with one that starts later.
            var offset = 0;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw ServingException.BadRequest("The request body must be a JSON object with an \"inputs\" array.");

            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("id"u8)) request.Id = ReadId(ref reader);
                else if (reader.ValueTextEquals("parameters"u8)) ReadRequestParameters(ref reader, request);
                else if (reader.ValueTextEquals("inputs"u8)) ReadInputs(ref reader, ref offset, json, request, modelInputs, maxBatchSize);
                else if (reader.ValueTextEquals("outputs"u8)) request.Outputs = ReadOutputs(ref reader);
                else reader.Skip();
            }

            if (reader.Read()) throw ServingException.BadRequest("The request body has content after the JSON object.");
            return request;
        }
        catch (InvalidOperationException e) when (e.InnerException is System.Text.DecoderFallbackException)
        {
            // Utf8JsonReader checks UTF-8 only when it decodes a string, such as a name or an id.
            request.Dispose();
            throw ServingException.BadRequest("The request body is not valid JSON: a string in it is not valid UTF-8.");
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>Advances to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static string? ReadId(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw Found(reader, "\"id\" must be a string"),
        };
    }

    private static void ReadInputs(ref Utf8JsonReader reader, ref int offset, ReadOnlySpan<byte> json, InferenceRequest request,
        IReadOnlyList<TensorSpec> modelInputs, int maxBatchSize)
    {
        var maxInputs = modelInputs.Count;
        if (!NextIs(ref reader, JsonTokenType.StartArray)) throw Found(reader, "\"inputs\" must be an array of input objects");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (request.Inputs.Count == maxInputs)
                throw ServingException.BadRequest(InferenceMessages.TooManyInputs(maxInputs));
            var input = new RequestInput(request.Inputs.Count);
            request.Inputs.Add(input);
            if (reader.TokenType != JsonTokenType.StartObject) throw Found(reader, $"inputs[{input.Position}] must be an object");
            while (NextProperty(ref reader))
            {
                // Messages are built only on failure: this loop runs for every request.
                if (reader.ValueTextEquals("name"u8))
                {
                    // Data already read belongs to the first name's input and element type: a second name would misfile it.
                    if (input.Name is not null) throw ServingException.BadRequest($"Input {input.Label} has \"name\" more than once; give each input one name.");
                    input.Name = NextIs(ref reader, JsonTokenType.String) ? reader.GetString() : throw Found(reader, $"inputs[{input.Position}].name must be a string");
                }
                else if (reader.ValueTextEquals("datatype"u8))
                    input.Datatype = NextIs(ref reader, JsonTokenType.String) ? reader.GetString() : throw Found(reader, $"Input {input.Label} datatype must be a string");
                else if (reader.ValueTextEquals("shape"u8)) input.Shape = ReadShape(ref reader, input);
                else if (reader.ValueTextEquals("parameters"u8)) ReadInputParameters(ref reader, input);
                else if (reader.ValueTextEquals("data"u8)) InputDataReader.ReadData(ref reader, ref offset, json, input, modelInputs, maxBatchSize);
                else reader.Skip();
            }

            if (input.DeferredData is { } deferred && InputDataReader.Find(modelInputs, input.Name) is { } spec)
            {
                input.DeferredData = null;
                input.SetData(InputDataReader.ReadDataAt(json, deferred.Start, deferred.End, spec, input, maxBatchSize));
            }
        }
    }

    private static List<RequestedOutput> ReadOutputs(ref Utf8JsonReader reader)
    {
        if (!NextIs(ref reader, JsonTokenType.StartArray)) throw Found(reader, "\"outputs\" must be an array of objects such as {\"name\": \"label\"}");
        var outputs = new List<RequestedOutput>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var position = outputs.Count;
            if (reader.TokenType != JsonTokenType.StartObject) throw Found(reader, $"outputs[{position}] must be an object");
            string? name = null;
            bool? binary = null;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8))
                    name = NextIs(ref reader, JsonTokenType.String) ? reader.GetString() : throw Found(reader, $"outputs[{position}].name must be a string");
                else if (reader.ValueTextEquals("parameters"u8)) binary = ReadOutputParameters(ref reader, position);
                else reader.Skip();
            }

            outputs.Add(new RequestedOutput(name ?? throw ServingException.BadRequest($"outputs[{position}] has no \"name\"."), binary));
        }

        return outputs;
    }

    private static void ReadRequestParameters(ref Utf8JsonReader reader, InferenceRequest request)
    {
        if (!NextIs(ref reader, JsonTokenType.StartObject)) throw Found(reader, "\"parameters\" must be an object");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("binary_data_output"u8))
                request.BinaryDataOutput = ReadBool(ref reader) ?? throw Found(reader, "Parameter binary_data_output must be true or false");
            else reader.Skip();
        }
    }

    private static void ReadInputParameters(ref Utf8JsonReader reader, RequestInput input)
    {
        if (!NextIs(ref reader, JsonTokenType.StartObject)) throw Found(reader, $"Input {input.Label} parameters must be an object");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("binary_data_size"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var size) || size < 0)
                    throw ServingException.BadRequest($"Input {input.Label} parameter binary_data_size must be a non-negative integer (bytes).");
                input.BinaryDataSize = size;
            }
            else reader.Skip();
        }
    }

    private static bool? ReadOutputParameters(ref Utf8JsonReader reader, int position)
    {
        if (!NextIs(ref reader, JsonTokenType.StartObject)) throw Found(reader, $"outputs[{position}].parameters must be an object");
        bool? binary = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("binary_data"u8))
                binary = ReadBool(ref reader) ?? throw Found(reader, $"outputs[{position}] parameter binary_data must be true or false");
            else reader.Skip();
        }

        return binary;
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, RequestInput input)
    {
        if (!NextIs(ref reader, JsonTokenType.StartArray)) throw Found(reader, $"Input {input.Label} shape must be an array of integers");
        Span<long> dims = stackalloc long[MaxRank];
        var rank = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
                throw ServingException.BadRequest($"Input {input.Label} shape must hold non-negative integers.");
            if (rank == MaxRank) throw ServingException.BadRequest($"Input {input.Label} shape has more than {MaxRank} dimensions.");
            dims[rank++] = dim;
        }

        return dims[..rank].ToArray();
    }

    /// <summary>Reads the next token; true when it has the expected type.</summary>
    private static bool NextIs(ref Utf8JsonReader reader, JsonTokenType type)
    {
        reader.Read();
        return reader.TokenType == type;
    }

    /// <returns>The boolean read, or null when the next token is not one.</returns>
    private static bool? ReadBool(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
    }

    internal static ServingException Found(in Utf8JsonReader reader, string rule) =>
        ServingException.BadRequest($"{rule}; found {Describe(reader.TokenType)}.");

    /// <summary>What a JSON token is, for error messages: "a string", "null", "an array".</summary>
    internal static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => type.ToString(),
    };
}
