using Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// A row-major tensor of strings (ONNX <c>tensor(string)</c>): text inputs of tabular models and the original label
/// values their outputs carry. ORT keeps strings in its own memory, so unlike <see cref="DenseTensor{T}"/> the values
/// are copied into every run.
/// </summary>
public sealed class StringTensor : DenseTensor
{
    public StringTensor(string[] values, params long[] shape)
        : base(TensorElementType.String, shape ?? throw new ArgumentNullException(nameof(shape)), (values ?? throw new ArgumentNullException(nameof(values))).Length)
    {
        var missing = Array.IndexOf(values, null);
        if (missing >= 0)
            throw new ArgumentException($"String tensor element {missing} is null; an ONNX string tensor holds text (use \"\" for empty).", nameof(values));
        Values = values;
    }

    public string[] Values { get; }

    public override OrtValue ToOrtValue()
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, ShapeArray);
        try
        {
            for (var i = 0; i < Values.Length; i++)
                value.StringTensorSetElementAt(Values[i].AsSpan(), i);
            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }
}
