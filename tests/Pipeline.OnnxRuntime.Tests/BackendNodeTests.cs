using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

/// <summary>Runs ONNX's own backend conformance cases through the binding and checks ORT's outputs against theirs.</summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class BackendNodeTests(OnnxRuntimeFixture ort)
{
    [Theory]
    [InlineData("test_relu")]
    [InlineData("test_sigmoid")]
    [InlineData("test_add")]
    [InlineData("test_add_bcast")]
    [InlineData("test_add_uint8")]
    [InlineData("test_mul_uint8")]
    [InlineData("test_matmul_2d")]
    [InlineData("test_gemm_default_matrix_bias")]
    [InlineData("test_gemm_default_no_bias")]
    [InlineData("test_gemm_default_vector_bias")]
    [InlineData("test_softmax_axis_1")]
    [InlineData("test_softmax_example")]
    [InlineData("test_softmax_large_number")]
    [InlineData("test_argmax_default_axis_random")]
    [InlineData("test_argmax_no_keepdims_random")]
    [InlineData("test_cast_FLOAT_to_DOUBLE")]
    [InlineData("test_cast_DOUBLE_to_FLOAT")]
    [InlineData("test_cast_FLOAT_to_FLOAT16")]
    [InlineData("test_cast_FLOAT16_to_FLOAT")]
    [InlineData("test_and2d")]
    [InlineData("test_max_int32")]
    [InlineData("test_max_int8")]
    [InlineData("test_clip_default_int8_inbounds")]
    [InlineData("test_mod_mixed_sign_int16")]
    [InlineData("test_mod_int64_fmod")]
    [InlineData("test_max_uint32")]
    [InlineData("test_mod_uint64")]
    public void Outputs_match_the_reference_outputs(string name)
    {
        var testCase = BackendTestCase.Load(name);
        using var session = new InferenceSession(ort.Environment, testCase.ModelPath);

        var outputs = session.Run(testCase.Inputs, testCase.Outputs.Select(o => o.Name).ToArray());

        Assert.Equal(testCase.Outputs.Count, outputs.Count);
        for (var i = 0; i < outputs.Count; i++)
        {
            Assert.Equal(testCase.Outputs[i].Name, outputs[i].Name);
            TensorAssert.Equal(testCase.Outputs[i].Tensor, outputs[i].Tensor, $"{name}:{outputs[i].Name}");
        }
    }

    [Fact]
    public void A_model_loaded_from_bytes_gives_the_same_outputs_as_from_its_file()
    {
        var testCase = BackendTestCase.Load("test_gemm_default_matrix_bias");
        using var fromFile = new InferenceSession(ort.Environment, testCase.ModelPath);
        using var fromBytes = new InferenceSession(ort.Environment, File.ReadAllBytes(testCase.ModelPath));

        var expected = fromFile.Run(testCase.Inputs).Single().Tensor.As<float>().ToArray();
        var actual = fromBytes.Run(testCase.Inputs).Single().Tensor.As<float>().ToArray();

        Assert.Equal(expected, actual);
        TensorAssert.Equal(testCase.Outputs[0].Tensor, fromBytes.Run(testCase.Inputs).Single().Tensor, "gemm");
    }
}
