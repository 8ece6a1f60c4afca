using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

/// <summary>String tensors go into and come out of ORT intact; rows of any input slice and gather as the gates and the load test need.</summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class StringAndRowTensorTests(OnnxRuntimeFixture ort)
{
    private static byte[] StringIdentity() => new OnnxModelBuilder { GraphName = "strings" }
        .Input("text", TensorElementType.String, "batch", 2L)
        .Node("Identity", ["text"], ["copy"])
        .Output("copy", TensorElementType.String, "batch", 2L)
        .Build();

    [Fact]
    public void Strings_including_empty_and_non_ascii_ones_round_trip_through_a_model()
    {
        using var session = new InferenceSession(ort.Environment, StringIdentity());
        string[] values = ["Adelie", "", "Gentoo ✓", "Chinstrap"];

        var output = session.Run([new NamedTensor("text", new StringTensor(values, 2, 2))]).Single();

        var strings = output.Tensor.AsStrings();
        Assert.Equal(values, strings.Values);
        Assert.Equal([2L, 2L], strings.Shape);
        Assert.Equal(TensorElementType.String, session.Inputs.Single().ElementType);
    }

    [Fact]
    public void A_null_string_is_refused_with_its_position()
    {
        var error = Assert.Throws<ArgumentException>(() => new StringTensor(["a", null!, "c"], 3));

        Assert.Contains("element 1 is null", error.Message);
    }

    [Fact]
    public void A_slice_shares_a_numeric_buffer_and_copies_strings()
    {
        var numbers = NamedTensor.Create("x", new float[] { 0, 1, 2, 3, 4, 5 }, 3, 2);
        var text = new NamedTensor("s", new StringTensor(["a", "b", "c"], 3, 1));

        var numberRows = TensorRows.Slice(numbers, 1, 2);
        var textRows = TensorRows.Slice(text, 1, 2);

        Assert.Equal([2f, 3f, 4f, 5f], numberRows.Tensor.As<float>().ToArray());
        Assert.Equal([2L, 2L], numberRows.Tensor.Shape);
        numbers.Tensor.As<float>().Span[2] = 42;
        Assert.Equal(42f, numberRows.Tensor.As<float>().Span[0]);
        Assert.Equal(["b", "c"], textRows.Tensor.AsStrings().Values);
    }

    [Fact]
    public void Gather_takes_rows_in_the_given_order_and_may_repeat_them()
    {
        var numbers = NamedTensor.Create("x", new long[] { 10, 11, 20, 21, 30, 31 }, 3, 2);
        var text = new NamedTensor("s", new StringTensor(["a", "b", "c"], 3, 1));

        Assert.Equal([30L, 31L, 10L, 11L, 30L, 31L], TensorRows.Gather(numbers, [2, 0, 2]).Tensor.As<long>().ToArray());
        Assert.Equal(["c", "c", "a"], TensorRows.Gather(text, [2, 2, 0]).Tensor.AsStrings().Values);
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorRows.Gather(text, [3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorRows.Slice(numbers, 2, 2));
    }
}
