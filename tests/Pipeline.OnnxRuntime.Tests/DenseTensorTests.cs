namespace Pipeline.OnnxRuntime.Tests;

public sealed class DenseTensorTests
{
    [Fact]
    public void A_shape_that_does_not_match_the_buffer_is_rejected_with_both_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new DenseTensor<float>(new float[6], 2, 4));

        Assert.Contains("[2, 4]", error.Message);
        Assert.Contains("8 elements", error.Message);
        Assert.Contains("6", error.Message);
    }

    [Fact]
    public void A_negative_dimension_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new DenseTensor<long>(new long[4], -1, 4));

        Assert.Contains("negative", error.Message);
    }

    [Fact]
    public void Element_types_follow_the_clr_type()
    {
        Assert.Equal(TensorElementType.Float, new DenseTensor<float>(new float[1], 1).ElementType);
        Assert.Equal(TensorElementType.Int64, new DenseTensor<long>(new long[2], 2).ElementType);
        Assert.Equal(TensorElementType.Bool, new DenseTensor<bool>(new bool[1], 1).ElementType);
        Assert.Equal(TensorElementType.Float16, TensorElementTypeOf.Get<Half>());
        Assert.Throws<NotSupportedException>(() => new DenseTensor<char>(new char[1], 1));
    }

    [Fact]
    public void The_shape_is_copied_and_a_scalar_has_one_element()
    {
        long[] shape = [2, 3];
        var tensor = new DenseTensor<int>(new int[6], shape);
        shape[0] = 99;

        Assert.Equal([2L, 3L], tensor.Shape);
        Assert.Equal(1, new DenseTensor<double>(new double[1]).ElementCount);
    }

    [Fact]
    public void Asking_for_the_wrong_element_type_names_the_real_one()
    {
        DenseTensor tensor = new DenseTensor<long>(new long[1], 1);

        var error = Assert.Throws<InvalidCastException>(() => tensor.As<float>());

        Assert.Contains("Int64", error.Message);
        Assert.Same(tensor, tensor.As<long>());
    }
}
