using Pipeline.Onnx.Protos;

namespace Pipeline.Onnx;

/// <summary>
/// One dimension of a tensor shape: a fixed size, a named symbolic size (such as the batch dimension "N",
/// which every tensor naming "N" shares), or unknown (<c>default</c>).
/// Integers and strings convert implicitly, so a shape reads <c>("N", 784)</c>.
/// </summary>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long? value, string? parameter)
    {
        Value = value;
        Parameter = parameter;
    }

    /// <summary>The fixed size, or null for a symbolic or unknown dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed or unknown dimension.</summary>
    public string? Parameter { get; }

    /// <summary>A dimension whose size is neither fixed nor named.</summary>
    public static OnnxDimension Unknown => default;

    public static OnnxDimension Fixed(long value) =>
        value >= 0
            ? new OnnxDimension(value, null)
            : throw new ArgumentOutOfRangeException(nameof(value), $"A dimension size cannot be negative, got {value}.");

    public static OnnxDimension Symbolic(string parameter) =>
        !string.IsNullOrWhiteSpace(parameter)
            ? new OnnxDimension(null, parameter)
            : throw new ArgumentException("A symbolic dimension needs a name such as \"N\".", nameof(parameter));

    public static implicit operator OnnxDimension(long value) => Fixed(value);

    public static implicit operator OnnxDimension(string parameter) => Symbolic(parameter);

    public TensorShapeProto.Types.Dimension ToProto()
    {
        var dimension = new TensorShapeProto.Types.Dimension();
        if (Value is { } value) dimension.DimValue = value;
        else if (Parameter is { } parameter) dimension.DimParam = parameter;
        return dimension;
    }

    public override string ToString() => Parameter ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
