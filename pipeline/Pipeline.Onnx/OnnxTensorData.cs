using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Onnx;

/// <summary>How much data a tensor's dims call for, and whether what it stores matches.</summary>
public static class OnnxTensorData
{
    /// <summary>The number of elements the tensor's dims describe (1 for a scalar).</summary>
    public static long ElementCount(TensorProto tensor)
    {
        long count = 1;
        foreach (var dim in tensor.Dims) count = checked(count * dim);
        return count;
    }

    /// <summary>Bytes per element in raw_data, or null for types without a fixed width (STRING, UNDEFINED).</summary>
    public static int? ElementSize(DataType type) => type switch
    {
        DataType.Bool or DataType.Int8 or DataType.Uint8 => 1,
        DataType.Int16 or DataType.Uint16 or DataType.Float16 or DataType.Bfloat16 => 2,
        DataType.Float or DataType.Int32 or DataType.Uint32 => 4,
        DataType.Double or DataType.Int64 or DataType.Uint64 or DataType.Complex64 => 8,
        DataType.Complex128 => 16,
        _ => null,
    };

    public static bool IsExternal(TensorProto tensor) =>
        tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External;

    /// <summary>
    /// Describes how the stored data disagrees with the dims ("has dims [2, 3] needing 24 bytes but raw_data
    /// holds 20"), or null if it agrees or cannot be told (external data, types without a fixed width).
    /// </summary>
    public static string? FindMismatch(TensorProto tensor)
    {
        if (IsExternal(tensor) || tensor.Dims.Any(d => d < 0)) return null;
        var type = (DataType)tensor.DataType;
        var count = ElementCount(tensor);
        var dims = $"[{string.Join(", ", tensor.Dims)}]";
        if (tensor.HasRawData)
        {
            if (ElementSize(type) is not { } size || tensor.RawData.Length == count * size) return null;
            return $"has dims {dims} needing {count * size} bytes but raw_data holds {tensor.RawData.Length}";
        }
        var stored = StoredInTypedField(tensor, type);
        return stored is null || stored == count ? null : $"has dims {dims} ({count} elements) but stores {stored}";
    }

    private static long? StoredInTypedField(TensorProto tensor, DataType type) => type switch
    {
        DataType.Float => tensor.FloatData.Count,
        DataType.Complex64 => tensor.FloatData.Count / 2,
        DataType.Int32 or DataType.Int16 or DataType.Int8 or DataType.Uint16 or DataType.Uint8 or DataType.Bool
            or DataType.Float16 or DataType.Bfloat16 => tensor.Int32Data.Count,
        DataType.Int64 => tensor.Int64Data.Count,
        DataType.Double => tensor.DoubleData.Count,
        DataType.Complex128 => tensor.DoubleData.Count / 2,
        DataType.Uint32 or DataType.Uint64 => tensor.Uint64Data.Count,
        DataType.String => tensor.StringData.Count,
        _ => null,
    };
}
