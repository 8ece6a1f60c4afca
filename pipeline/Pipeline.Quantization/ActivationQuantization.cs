using Pipeline.Quantization.Calibration;

namespace Pipeline.Quantization;

/// <summary>Asymmetric quantization parameters for an activation: real value ≈ (q − zeroPoint) · scale.</summary>
internal readonly record struct ActivationParameters(float Scale, int ZeroPoint);

internal static class ActivationQuantization
{
    public static (int Min, int Max) Levels(ActivationType type) => type switch
    {
        ActivationType.UInt8 => (byte.MinValue, byte.MaxValue),
        ActivationType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>
    /// The range is first widened to include 0, so zero (ReLU outputs, padding) is represented exactly by the zero point.
    /// </summary>
    public static ActivationParameters Compute(TensorRange range, ActivationType type)
    {
        var (qMin, qMax) = Levels(type);
        var low = Math.Min(range.Min, 0f);
        var high = Math.Max(range.Max, 0f);
        var scale = (high - low) / (qMax - qMin);
        // A constant-zero tensor (or one too narrow for float precision) would give scale 0; any scale then works.
        if (!(scale > 1e-30f)) return new ActivationParameters(1f, 0);
        var zeroPoint = (int)Math.Clamp(Math.Round(qMin - low / scale, MidpointRounding.ToEven), qMin, qMax);
        return new ActivationParameters(scale, zeroPoint);
    }
}
