using Pipeline.OnnxRuntime;

namespace Serving.Server.Model;

/// <summary>Open Inference Protocol datatype names for ONNX element types, and which of them the server serves.</summary>
internal static class TensorDatatypes
{
    /// <summary>For messages: the datatypes <see cref="IsServed"/> accepts.</summary>
    public const string ServedList = "FP32, FP64, INT32, INT64, BOOL and BYTES";

    /// <summary>The element types the server reads and writes, in JSON and in the binary tensor extension.</summary>
    public static bool IsServed(TensorElementType type) => type is TensorElementType.Float or TensorElementType.Double
        or TensorElementType.Int32 or TensorElementType.Int64 or TensorElementType.Bool or TensorElementType.String;

    public static string ToDatatype(TensorElementType type) => type switch
    {
        TensorElementType.Bool => "BOOL",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        TensorElementType.Int8 => "INT8",
        TensorElementType.Int16 => "INT16",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.Float16 => "FP16",
        TensorElementType.Float => "FP32",
        TensorElementType.Double => "FP64",
        TensorElementType.String => "BYTES",
        _ => type.ToString().ToUpperInvariant(),
    };

    /// <returns>The served element type a request's datatype names, or null for any other name.</returns>
    public static TensorElementType? FromDatatype(string? datatype) => datatype switch
    {
        "FP32" => TensorElementType.Float,
        "FP64" => TensorElementType.Double,
        "INT32" => TensorElementType.Int32,
        "INT64" => TensorElementType.Int64,
        "BOOL" => TensorElementType.Bool,
        "BYTES" => TensorElementType.String,
        _ => null,
    };
}
