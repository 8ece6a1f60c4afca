using System.Text;
using System.Text.Json;
using Pipeline.OnnxRuntime;

namespace Pipeline.Stages.Tests;

/// <summary>Requests for any model's inputs carry each tensor's OIP datatype; answers read numeric and text labels alike.</summary>
public sealed class OpenInferenceJsonTests
{
    [Fact]
    public void Each_input_goes_with_its_datatype_shape_and_values_and_a_missing_float_as_null()
    {
        var body = OpenInferenceJson.InferRequest(
        [
            new NamedTensor("island", new StringTensor(["Biscoe"], 1, 1)),
            NamedTensor.Create("bill_length_mm", new[] { float.NaN }, 1, 1),
            NamedTensor.Create("year", new[] { 2009L }, 1, 1),
            NamedTensor.Create("ratio", new[] { 0.25 }, 1, 1),
            NamedTensor.Create("count", new[] { 3 }, 1, 1),
            NamedTensor.Create("flag", new[] { true }, 1, 1),
        ], id: "r1");

        using var json = JsonDocument.Parse(body);
        var inputs = json.RootElement.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal("r1", json.RootElement.GetProperty("id").GetString());
        Assert.Equal(["BYTES", "FP32", "INT64", "FP64", "INT32", "BOOL"], inputs.Select(i => i.GetProperty("datatype").GetString()));
        Assert.Equal(["island", "bill_length_mm", "year", "ratio", "count", "flag"], inputs.Select(i => i.GetProperty("name").GetString()));
        Assert.All(inputs, i => Assert.Equal("[1,1]", i.GetProperty("shape").GetRawText()));
        Assert.Equal(["[\"Biscoe\"]", "[null]", "[2009]", "[0.25]", "[3]", "[true]"], inputs.Select(i => i.GetProperty("data").GetRawText()));
    }

    [Fact]
    public void Numeric_and_text_labels_are_read_as_text()
    {
        var text = OpenInferenceJson.ParseAnswer(Encoding.UTF8.GetBytes(
            """{"model_version":"1.0.1","outputs":[{"name":"probabilities","datatype":"FP32","shape":[1,3],"data":[0.1,0.7,0.2]},{"name":"label","datatype":"BYTES","shape":[1],"data":["Gentoo"]}]}"""));
        var number = OpenInferenceJson.ParseAnswer(Encoding.UTF8.GetBytes(
            """{"outputs":[{"name":"label","datatype":"INT64","shape":[1],"data":[7]},{"name":"probabilities","datatype":"FP32","shape":[1,2],"data":[0.5,0.5]}]}"""));

        Assert.Equal(["Gentoo"], text.Labels);
        Assert.Equal("1.0.1", text.ModelVersion);
        Assert.Equal([0.1f, 0.7f, 0.2f], text.Probabilities);
        Assert.Equal(["7"], number.Labels);
    }

    [Fact]
    public void An_answer_without_the_classifier_outputs_names_what_it_has()
    {
        var error = Assert.Throws<InvalidDataException>(() => OpenInferenceJson.ParseAnswer(Encoding.UTF8.GetBytes(
            """{"outputs":[{"name":"value","datatype":"FP32","shape":[1],"data":[1.5]}]}""")));

        Assert.Contains("[value]", error.Message);
    }
}
