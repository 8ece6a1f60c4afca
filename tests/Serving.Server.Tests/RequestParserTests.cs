using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.OnnxRuntime;
using Serving.Server.Inference;
using Serving.Server.Model;

namespace Serving.Server.Tests;

/// <summary>The request parser scans tensor data itself; it must read exactly what a JSON parser reads, and refuse what it refuses.</summary>
public sealed class RequestParserTests
{
    [Theory]
    [InlineData("[1, 2, 3]")]
    [InlineData("[[0, 255], [ 17 ,\n\t128 ]]")]
    [InlineData("[-0, 0.5, -12.25, 3.4028235E38, 1e-45, 6.02214076e23, 1E+2, 0.1, 0.30000001192092896, 16777217, 123456789012]")]
    [InlineData("[[], [1], [[2]], []]")]
    [InlineData("[]")]
    public void Data_is_read_as_a_JSON_parser_reads_it(string data)
    {
        using var request = Parse($$"""{"inputs": [{"name": "x", "data": {{data}}, "shape": [1]}], "id": "after"}""");

        Assert.Equal(ExpectedValues(data), Floats(request.Inputs[0]));
        Assert.Equal("after", request.Id);
        Assert.Equal([1L], request.Inputs[0].Shape!);
    }

    [Fact]
    public void Random_floats_in_every_notation_round_trip_exactly()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 3000).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-40, 39)))).ToArray();
        var formats = new[] { "R", "G9", "E3", "F6", "0.#########" };
        foreach (var format in formats)
        {
            var data = "[" + string.Join(",", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture))) + "]";

            using var request = Parse($$"""{"inputs": [{"name": "x", "data": {{data}}}]}""");

            Assert.Equal(ExpectedValues(data), Floats(request.Inputs[0]));
        }
    }

    [Theory]
    [InlineData("[1,,2]")]
    [InlineData("[1 2]")]
    [InlineData("[,1]")]
    [InlineData("[1,]")]
    [InlineData("[01]")]
    [InlineData("[1.]")]
    [InlineData("[.5]")]
    [InlineData("[-]")]
    [InlineData("[1e]")]
    [InlineData("[+1]")]
    [InlineData("[1")]
    [InlineData("[[1]")]
    [InlineData("[1]]")]
    [InlineData("[NaN]")]
    [InlineData("[Infinity]")]
    [InlineData("[true]")]
    [InlineData("[nul]")]
    [InlineData("[nullx]")]
    [InlineData("[null null]")]
    [InlineData("[{}]")]
    [InlineData("[\"1\"]")]
    [InlineData("[1][2]")]
    [InlineData("1")]
    [InlineData("{\"a\": 1}")]
    public void Data_that_is_not_a_JSON_array_of_numbers_is_refused(string data)
    {
        var error = Assert.ThrowsAny<Exception>(() => Parse($$"""{"inputs": [{"name": "x", "data": {{data}}}]}""").Dispose());

        Assert.True(error is JsonException or ServingException { Kind: ServingErrorKind.BadRequest }, error.ToString());
    }

    [Fact]
    public void Data_of_several_inputs_and_later_properties_are_all_read()
    {
        using var request = Parse("""
            {"inputs": [{"data": [1, 2], "name": "a"}, {"name": "b", "data": [[3], [4.5]], "datatype": "FP32"}],
             "outputs": [{"name": "label", "parameters": {"binary_data": true}}], "parameters": {"binary_data_output": false}}
            """);

        Assert.Equal(["a", "b"], request.Inputs.Select(i => i.Name));
        Assert.Equal([1f, 2f], Floats(request.Inputs[0]));
        Assert.Equal([3f, 4.5f], Floats(request.Inputs[1]));
        Assert.Equal("FP32", request.Inputs[1].Datatype);
        Assert.Equal(new RequestedOutput("label", true), Assert.Single(request.Outputs!));
        Assert.False(request.BinaryDataOutput);
    }

    [Fact]
    public void Null_is_a_missing_value_read_as_NaN_in_FP32_and_FP64()
    {
        using var request = Parse("""{"inputs": [{"name": "x", "data": [[1, null], [null, 2]]}, {"name": "d", "data": [null, 0.5]}]}""");

        Assert.Equal([1f, float.NaN, float.NaN, 2f], Floats(request.Inputs[0]));
        Assert.Equal([double.NaN, 0.5], ((TensorBuffer<double>)request.Inputs[1].Data!).Span.ToArray());
    }

    [Fact]
    public void Data_before_the_name_is_read_in_the_named_inputs_type_and_data_of_unknown_inputs_is_not_read()
    {
        using var request = Parse("""{"inputs": [{"data": [9007199254740993, -1], "name": "n"}, {"data": ["a", "b"], "name": "s"}, {"name": "other", "data": [1, 2]}]}""");

        Assert.Equal([9007199254740993L, -1], ((TensorBuffer<long>)request.Inputs[0].Data!).Span.ToArray());
        Assert.Equal(["a", "b"], ((StringTensorBuffer)request.Inputs[1].Data!).Span.ToArray());
        Assert.Null(request.Inputs[2].Data);
    }

    private static readonly TensorSpec[] Specs =
    [
        new("x", TensorElementType.Float, [-1, 1]),
        new("a", TensorElementType.Float, [-1, 2]),
        new("b", TensorElementType.Float, [-1, 1]),
        new("d", TensorElementType.Double, [-1, 2]),
        new("n", TensorElementType.Int64, [-1, 2]),
        new("s", TensorElementType.String, [-1, 2]),
    ];

    private static InferenceRequest Parse(string json) => InferenceRequestParser.Parse(Encoding.UTF8.GetBytes(json), Specs, maxBatchSize: 64);

    private static float[] Floats(RequestInput input) => ((TensorBuffer<float>)input.Data!).Span.ToArray();

    private static float[] ExpectedValues(string data)
    {
        static IEnumerable<float> Flatten(JsonElement e) =>
            e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [float.Parse(e.GetRawText(), CultureInfo.InvariantCulture)];
        return Flatten(JsonDocument.Parse(data).RootElement).ToArray();
    }
}
