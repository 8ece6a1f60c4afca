using Pipeline.Onnx;
using Pipeline.Quantization.Calibration;
using Pipeline.Gates;
using Pipeline.Quantization.Tests.Support;

namespace Pipeline.Quantization.Tests;

/// <summary>The static check of whether a quantized model's weight pairs can saturate x86's int16 pair sums.</summary>
public sealed class U8S8SaturationTests
{
    [Theory]
    [InlineData(64, 64, 128, 0)]    // 255 · 128 = 32,640: fits
    [InlineData(65, 64, 129, 1)]    // 255 · 129 = 32,895: saturates
    [InlineData(-65, -64, 129, 1)]  // the negative side saturates too
    [InlineData(127, -127, 127, 0)] // opposite signs cancel and never saturate
    [InlineData(63, 63, 126, 0)]    // reduce-range: always safe
    public void A_pair_is_at_risk_when_its_same_signed_magnitudes_exceed_128(int first, int second, int largest, int atRisk)
    {
        var weight = OnnxTensors.FromInt8s("w", [(sbyte)first, (sbyte)second], 2, 1);

        var risk = U8S8Saturation.Risk(weight);

        Assert.Equal(largest, risk.LargestPairSum);
        Assert.Equal(atRisk, risk.PairsAtRisk);
    }

    [Fact]
    public void Pairs_are_formed_along_k_from_even_rows_as_the_kernel_packs_them()
    {
        // Rows 1 and 2 would saturate together, but the kernel pairs rows (0, 1) and (2, 3); an odd last row pairs with 0.
        var weight = OnnxTensors.FromInt8s("w", [0, 100, 100, 0, 127], 5, 1);

        Assert.Equal(0, U8S8Saturation.Risk(weight).PairsAtRisk);
    }

    [Fact]
    public void Dynamic_and_static_defaults_cannot_saturate_and_full_range_says_where_it_can()
    {
        var model = TestModels.Mlp(5, 784, 128, 64, 10);

        var dynamicDefault = U8S8Saturation.Analyze(DynamicInt8Quantizer.Quantize(model).Model);
        var staticDefault = U8S8Saturation.Analyze(StaticQdqQuantizer.Quantize(model, Calibrated(model)).Model);
        var fullRange = U8S8Saturation.Analyze(StaticQdqQuantizer.Quantize(model, Calibrated(model), new() { ReduceRange = false }).Model);

        Assert.Equal(3, dynamicDefault.Weights.Count);
        Assert.False(dynamicDefault.CanSaturate, dynamicDefault.Describe());
        Assert.Equal(3, staticDefault.Weights.Count);
        Assert.False(staticDefault.CanSaturate, staticDefault.Describe());
        Assert.True(fullRange.CanSaturate);
        Assert.Contains("can saturate without VNNI", fullRange.Describe());
    }

    [Fact]
    public void A_float_model_has_no_int8_weights_to_check()
    {
        var report = U8S8Saturation.Analyze(TestModels.Mlp(5, 784, 16, 10));

        Assert.Empty(report.Weights);
        Assert.False(report.CanSaturate);
    }

    [Fact]
    public void Cpu_features_are_read_from_cpuinfo_text()
    {
        const string avx2Only = "processor\t: 0\nmodel name\t: AMD EPYC 7763\nflags\t\t: fpu sse2 avx fma avx2 bmi2\n\nprocessor\t: 1\nflags\t: avx512_vnni\n";
        const string vnni = "model name\t: AMD EPYC\nflags\t\t: avx2 fma avx512f avx512bw avx512_vnni\n";

        var old = CpuFeatures.Parse(avx2Only);
        var modern = CpuFeatures.Parse(vnni);

        Assert.Equal(new CpuFeatures("AMD EPYC 7763", true, true, false, false, false, false), old);
        Assert.False(old.HasVnni);
        Assert.Contains("AVX2 without VNNI", old.Int8Kernel);
        Assert.True(modern.HasVnni);
        Assert.Equal(["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni"], modern.Flags);
    }

    private static CalibrationResult Calibrated(Onnx.Protos.ModelProto model) =>
        new(StaticQdqQuantizer.FindActivations(model).ToDictionary(name => name, _ => new TensorRange(-5f, 10f)), CalibrationMethod.MinMax, 1);
}
