using System.Buffers.Binary;
using Google.Protobuf;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx.Tests;

public sealed class OnnxTensorsTests
{
    [Fact]
    public void Float_tensor_is_stored_as_little_endian_raw_data_and_reads_back_bit_exact()
    {
        float[] values = [1.5f, -0f, float.Epsilon, float.MaxValue, -3.25e-7f, 42f];

        var tensor = TensorProto.Parser.ParseFrom(OnnxTensors.FromFloats("w", values, 2, 3).ToByteArray());

        Assert.Equal(("w", (int)DataType.Float), (tensor.Name, tensor.DataType));
        Assert.Equal([2L, 3L], tensor.Dims);
        Assert.Empty(tensor.FloatData);
        Assert.Equal(values.Length * sizeof(float), tensor.RawData.Length);
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(tensor.RawData.Span));
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), OnnxTensors.ToFloats(tensor).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Int64_tensor_round_trips_through_raw_data()
    {
        long[] values = [long.MinValue, -1, 0, 1, long.MaxValue, 1L << 40];

        var tensor = TensorProto.Parser.ParseFrom(OnnxTensors.FromInt64s("shape", values, 6).ToByteArray());

        Assert.Equal((int)DataType.Int64, tensor.DataType);
        Assert.Equal(-1L, BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span[sizeof(long)..]));
        Assert.Equal(values, OnnxTensors.ToInt64s(tensor));
    }

    [Fact]
    public void Scalar_has_no_dims_and_one_element()
    {
        var scalar = OnnxTensors.FromFloats("s", [2f]);

        Assert.Empty(scalar.Dims);
        Assert.Equal(1, OnnxTensorData.ElementCount(scalar));
        Assert.Equal([2f], OnnxTensors.ToFloats(scalar));
    }

    [Fact]
    public void Values_in_the_typed_fields_written_by_other_tools_are_read_too()
    {
        var floats = new TensorProto { Name = "f", DataType = (int)DataType.Float, Dims = { 2 }, FloatData = { 1f, 2f } };
        var longs = new TensorProto { Name = "l", DataType = (int)DataType.Int64, Dims = { 3 }, Int64Data = { 7, 8, 9 } };

        Assert.Equal([1f, 2f], OnnxTensors.ToFloats(floats));
        Assert.Equal([7L, 8L, 9L], OnnxTensors.ToInt64s(longs));
    }

    [Fact]
    public void Value_count_that_does_not_match_dims_is_rejected_with_both_numbers()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxTensors.FromFloats("w", [1f, 2f, 3f], 2, 2));

        Assert.Contains("Tensor 'w' has dims [2, 2] (4 elements) but 3 values were given.", error.Message);
    }

    [Fact]
    public void Reading_the_wrong_element_type_or_truncated_data_fails_clearly()
    {
        var longs = OnnxTensors.FromInt64s("l", [1, 2], 2);
        var truncated = OnnxTensors.FromFloats("t", [1f, 2f], 2);
        truncated.Dims[0] = 3;

        Assert.Contains("holds Int64 elements, not Float", Assert.Throws<InvalidOperationException>(() => OnnxTensors.ToFloats(longs)).Message);
        Assert.Contains("needing 12 bytes but raw_data holds 8", Assert.Throws<InvalidDataException>(() => OnnxTensors.ToFloats(truncated)).Message);
    }
}
