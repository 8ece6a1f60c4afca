using Pipeline.OnnxRuntime.Tests.Support;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

namespace Pipeline.OnnxRuntime.Tests;

/// <summary>
/// ORT's own diagnosis reaches the caller, with its error code, for the mistakes users actually make. The managed API
/// keeps the code internal and puts it in the message as "[ErrorCode:Name]".
/// </summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class ErrorReportingTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void A_missing_model_file_is_reported_with_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(ort.Environment, path));

        Assert.Contains("[ErrorCode:NoSuchFile]", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_reported_as_an_invalid_protobuf()
    {
        var error = Assert.Throws<OnnxRuntimeException>(
            () => new InferenceSession(ort.Environment, "definitely not an onnx model"u8.ToArray()));

        Assert.Contains("[ErrorCode:InvalidProtobuf]", error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_wrong_input_name_is_reported_by_name()
    {
        var error = RunFailure(NamedTensor.Create("pixels", new float[4], 1, 4));

        Assert.Contains("[ErrorCode:InvalidArgument]", error.Message);
        // The managed API checks names against the session metadata before calling into ORT.
        Assert.Contains("Input name: 'pixels'", error.Message);
    }

    [Fact]
    public void A_wrong_output_name_is_reported_by_name()
    {
        var error = RunFailure(NamedTensor.Create("x", new float[4], 1, 4), "probabilities");

        Assert.Contains("[ErrorCode:InvalidArgument]", error.Message);
        Assert.Contains("Output name: 'probabilities'", error.Message);
    }

    [Fact]
    public void A_wrong_input_shape_is_reported_with_the_offending_dimension()
    {
        var error = RunFailure(NamedTensor.Create("x", new float[10], 2, 5));

        Assert.Contains("[ErrorCode:InvalidArgument]", error.Message);
        Assert.Contains("Got invalid dimensions for input: x", error.Message);
        Assert.Contains("index: 1 Got: 5 Expected: 4", error.Message);
    }

    [Fact]
    public void A_wrong_input_element_type_is_reported_with_both_types()
    {
        var error = RunFailure(NamedTensor.Create("x", new double[4], 1, 4));

        Assert.Contains("[ErrorCode:InvalidArgument]", error.Message);
        Assert.Contains("Actual: (tensor(double)) , expected: (tensor(float))", error.Message);
    }

    [Fact]
    public void A_session_still_works_after_a_failed_run()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());
        Assert.Throws<OnnxRuntimeException>(() => session.Run([NamedTensor.Create("x", new float[10], 2, 5)]));

        var x = TestModels.RandomFloats(4, seed: 1);
        var labels = session.Run([NamedTensor.Create("x", x, 1, 4)], ["label"]).Single().Tensor.As<long>().ToArray();

        Assert.Equal(TestModels.LinearExpected(x, 1).Labels, labels);
    }

    private OnnxRuntimeException RunFailure(NamedTensor input, params string[] outputNames)
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());
        return Assert.Throws<OnnxRuntimeException>(() => session.Run([input], outputNames.Length == 0 ? null : outputNames));
    }
}
