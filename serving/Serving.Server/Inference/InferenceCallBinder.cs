using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// Checks a parsed request against the model and the server's limits, and turns it into an
/// <see cref="InferenceCall"/>. Every message names the input or output at fault and what the model expects.
/// </summary>
internal static class InferenceCallBinder
{
    /// <param name="binary">The body bytes after the JSON header (binary tensor extension); empty without one.</param>
    /// <param name="hasBinarySection">Whether the request carried an Inference-Header-Content-Length header.</param>
    public static InferenceCall Bind(InferenceRequest request, ReadOnlySpan<byte> binary, bool hasBinarySection,
        ServedModel model, int maxBatchSize)
    {
        if (request.Id is { Length: > InferenceMessages.MaxIdLength } id) throw ServingException.BadRequest(InferenceMessages.IdTooLong(id.Length));
        var call = new InferenceCall(model) { Id = request.Id };
        try
        {
            BindInputs(request, binary, hasBinarySection, model, maxBatchSize, call);
            BindOutputs(request, model, call);
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private static void BindInputs(InferenceRequest request, ReadOnlySpan<byte> binary, bool hasBinarySection,
        ServedModel model, int maxBatchSize, InferenceCall call)
    {
        if (request.Inputs.Count == 0)
            throw ServingException.BadRequest($"The request has no inputs; model '{model.Name}' needs: {model.InputNames}.");

        var binaryOffset = 0;
        string? firstInput = null;
        foreach (var input in request.Inputs)
        {
            var name = input.Name ?? throw ServingException.BadRequest($"{input.Label} has no \"name\".");
            var index = model.FindInput(name);
            if (index < 0)
                throw ServingException.BadRequest($"Unknown input '{name}'; model '{model.Name}' has inputs: {model.InputNames}.");
            if (call.Inputs[index] is not null) throw ServingException.BadRequest($"Input '{name}' is given more than once.");

            var spec = model.Inputs[index];
            var rows = CheckShape(input, spec, maxBatchSize);
            if (firstInput is null)
            {
                firstInput = name;
                call.Rows = rows;
            }
            else if (rows != call.Rows)
            {
                throw ServingException.BadRequest(
                    $"Input '{name}' has batch size {rows}, but input '{firstInput}' has {call.Rows}; all inputs need the same batch size.");
            }

            var expected = rows * spec.RowElementCount;
            var data = input.BinaryDataSize is { } size
                ? TakeBinary(input, spec, size, expected, binary, hasBinarySection, ref binaryOffset)
                : TakeJson(input, expected);
            call.Inputs[index] = data;
            RejectInfinities(name, spec, data);
        }

        for (var i = 0; i < call.Inputs.Length; i++)
        {
            if (call.Inputs[i] is null)
                throw ServingException.BadRequest($"Input '{model.Inputs[i].Name}' is missing; model '{model.Name}' needs: {model.InputNames}.");
        }

        if (binaryOffset != binary.Length)
        {
            throw ServingException.BadRequest(
                $"The request has {binary.Length} bytes after its JSON header, but its inputs declare {binaryOffset} bytes of binary_data_size.");
        }
    }

    private static int CheckShape(RequestInput input, TensorSpec spec, int maxBatchSize)
    {
        // Messages are built only when a check fails: this runs for every request.
        if (input.Datatype is null)
            throw ServingException.BadRequest($"Input {input.Label} has no \"datatype\"; the model expects {spec.Datatype}.");
        if (input.Datatype != spec.Datatype)
            throw ServingException.BadRequest(InferenceMessages.WrongDatatype(input.Label, input.Datatype, spec.Datatype));

        var shape = input.Shape ?? throw ServingException.BadRequest(
            $"Input {input.Label} has no \"shape\"; the model expects {spec.DescribeShape()} (-1 = any batch size).");
        if (shape.Length != spec.Rank)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} has shape {Describe(shape)} (rank {shape.Length}), but the model expects rank {spec.Rank}: {spec.DescribeShape()} (-1 = any batch size).");
        }

        for (var d = 1; d < shape.Length; d++)
        {
            if (shape[d] != spec.Shape[d])
            {
                throw ServingException.BadRequest(
                    $"Input {input.Label} has shape {Describe(shape)}, but dimension {d} must be {spec.Shape[d]} (the model expects {spec.DescribeShape()}).");
            }
        }

        var rows = shape[0];
        if (rows < 1) throw ServingException.BadRequest($"Input {input.Label} has batch size 0; send at least one row.");
        if (rows > maxBatchSize)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} has batch size {rows}, but this server accepts at most {maxBatchSize} rows per request; split it into smaller requests.");
        }

        return (int)rows;
    }

    private static string Describe(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static TensorBuffer TakeJson(RequestInput input, int expected)
    {
        if (input.Data is null)
            throw ServingException.BadRequest($"Input {input.Label} has no \"data\" (and no binary_data_size parameter).");
        if (input.Data.Length != expected)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} has {input.Data.Length} values, but shape {Describe(input.Shape!)} needs {expected}.");
        }

        return input.TakeData()!;
    }

    private static TensorBuffer TakeBinary(RequestInput input, TensorSpec spec, long size, int expected, ReadOnlySpan<byte> binary,
        bool hasBinarySection, ref int offset)
    {
        if (input.Data is not null || input.DeferredData is not null)
            throw ServingException.BadRequest($"Input {input.Label} has both \"data\" and binary_data_size; send its values one way.");
        if (!hasBinarySection)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} has binary_data_size, but the request has no Inference-Header-Content-Length header giving the JSON header's length.");
        }

        if (BinaryTensorReader.FixedSize(spec, expected) is { } expectedBytes && size != expectedBytes)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} has binary_data_size {size}, but shape {Describe(input.Shape!)} of {spec.Datatype} needs {expectedBytes} bytes.");
        }

        if (size > binary.Length - offset)
        {
            throw ServingException.BadRequest(
                $"Input {input.Label} declares {size} binary bytes, but only {binary.Length - offset} remain after the JSON header and earlier inputs.");
        }

        var data = BinaryTensorReader.Read(binary.Slice(offset, (int)size), spec, expected, input);
        offset += (int)size;
        return data;
    }

    /// <summary>
    /// NaN is a missing value (JSON null), which ML.NET models impute; an infinity is almost always a client's
    /// overflow or bug, and a model given one answers with garbage rather than an error.
    /// </summary>
    private static void RejectInfinities(string name, TensorSpec spec, TensorBuffer data)
    {
        if (data is TensorBuffer<float> floats)
        {
            var values = floats.Span;
            for (var i = 0; i < values.Length; i++)
                if (float.IsInfinity(values[i])) throw Infinite(name, spec, values[i], i);
        }
        else if (data is TensorBuffer<double> doubles)
        {
            var values = doubles.Span;
            for (var i = 0; i < values.Length; i++)
                if (double.IsInfinity(values[i])) throw Infinite(name, spec, values[i], i);
        }
    }

    private static ServingException Infinite(string name, TensorSpec spec, double value, int index) =>
        ServingException.BadRequest(
            $"Input '{name}' holds a non-finite value ({value}) at element {index}; inputs must be finite {spec.Datatype} numbers, or NaN (JSON null) for a missing value.");

    private static void BindOutputs(InferenceRequest request, ServedModel model, InferenceCall call)
    {
        if (request.Outputs is not { Count: > 0 } requested)
        {
            for (var i = 0; i < model.Outputs.Count; i++) call.AddOutput(i, request.BinaryDataOutput);
            return;
        }

        foreach (var output in requested)
        {
            var index = model.FindOutput(output.Name);
            if (index < 0)
                throw ServingException.BadRequest($"Unknown output '{output.Name}'; model '{model.Name}' has outputs: {model.OutputNames}.");
            foreach (var bound in call.Outputs)
            {
                if (bound.OutputIndex == index) throw ServingException.BadRequest($"Output '{output.Name}' is requested more than once.");
            }

            call.AddOutput(index, output.BinaryData ?? request.BinaryDataOutput);
        }
    }
}
