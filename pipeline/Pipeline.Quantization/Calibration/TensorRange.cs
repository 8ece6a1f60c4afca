namespace Pipeline.Quantization.Calibration;

/// <summary>The span of values a tensor's quantization must cover.</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    public override string ToString() => $"[{Min:G6}, {Max:G6}]";
}
