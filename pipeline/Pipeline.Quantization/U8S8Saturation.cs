using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization;

/// <summary>How close one int8 weight comes to saturating x86's 16-bit pair sums, and how many pairs cross the line.</summary>
/// <param name="LargestPairSum">The largest |w[k, n]| + |w[k+1, n]| over same-signed pairs (k even); at most 128 is safe.</param>
/// <param name="PairsAtRisk">Same-signed pairs whose sum exceeds 128: with a uint8 activation near 255 they saturate.</param>
public sealed record WeightSaturationRisk(string Weight, int LargestPairSum, long PairsAtRisk);

/// <summary>Whether a quantized model's int8 weights can saturate ONNX Runtime's x86 uint8 × int8 kernels without VNNI.</summary>
public sealed record U8S8SaturationReport(IReadOnlyList<WeightSaturationRisk> Weights)
{
    public bool CanSaturate => Weights.Any(w => w.PairsAtRisk > 0);

    public long PairsAtRisk => Weights.Sum(w => w.PairsAtRisk);

    public int LargestPairSum => Weights.Count == 0 ? 0 : Weights.Max(w => w.LargestPairSum);

    public string Describe() => Weights.Count == 0
        ? "no int8 weights"
        : CanSaturate
            ? $"can saturate without VNNI: {PairsAtRisk:N0} weight pairs sum above {U8S8Saturation.SafePairSum} (largest {LargestPairSum})"
            : $"exact on every x86-64 CPU: largest weight pair sum {LargestPairSum} ≤ {U8S8Saturation.SafePairSum}";
}

/// <summary>
/// The arithmetic behind "int8 is less accurate on some CPUs". ONNX Runtime multiplies uint8 activations by int8
/// weights with MLAS. With AVX-512 VNNI or AVX-VNNI (vpdpbusd) four products go straight into an int32, exactly.
/// Without VNNI (AVX2, AVX-512BW) vpmaddubsw first adds each pair of products along K, a[k]·w[k] + a[k+1]·w[k+1]
/// for even k, into a saturating int16; vpmaddwd then widens. With a ≤ 255 a pair of same-signed weights saturates
/// once |w[k]| + |w[k+1]| > 128 (255 · 129 = 32,895 > 32,767), and the sum is silently clipped. Weights within
/// ±63 (reduce-range, 7 bits) can never reach it (255 · 126 = 32,130), so such a model computes the same integers on
/// every x86-64 CPU. Pairs of opposite sign never saturate (255 · 128 = 32,640).
/// </summary>
public static class U8S8Saturation
{
    /// <summary>The largest same-signed pair sum |w[k]| + |w[k+1]| that cannot overflow an int16 with a uint8 activation.</summary>
    public const int SafePairSum = 128;

    /// <summary>
    /// Checks every int8 weight a MatMul reads: the B input of MatMulInteger, and the int8 input of a
    /// DequantizeLinear feeding a MatMul's B (QDQ form, which ONNX Runtime fuses into the same kernels).
    /// </summary>
    public static U8S8SaturationReport Analyze(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var matMulB = graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count > 1).Select(n => n.Input[1]).ToHashSet(StringComparer.Ordinal);
        var weights = graph.Node
            .Where(n => n.OpType == "MatMulInteger" && n.Input.Count > 1)
            .Select(n => n.Input[1])
            .Concat(graph.Node.Where(n => n.OpType == "DequantizeLinear" && n.Output.Count > 0 && matMulB.Contains(n.Output[0])).Select(n => n.Input[0]))
            .Distinct(StringComparer.Ordinal)
            .Select(name => initializers.GetValueOrDefault(name))
            .Where(t => t is { DataType: (int)DataType.Int8, Dims.Count: 2 })
            .Select(t => Risk(t!))
            .ToList();
        return new U8S8SaturationReport(weights);
    }

    /// <summary>Pairs are formed along K (the rows of a [K, N] weight) from even k, as MLAS packs them.</summary>
    internal static WeightSaturationRisk Risk(TensorProto weight)
    {
        var values = OnnxTensors.ToInt8s(weight);
        var (rows, columns) = ((int)weight.Dims[0], (int)weight.Dims[1]);
        var (largest, atRisk) = (0, 0L);
        for (var k = 0; k < rows; k += 2)
            for (var n = 0; n < columns; n++)
            {
                int first = values[k * columns + n], second = k + 1 < rows ? values[(k + 1) * columns + n] : 0;
                var sum = Math.Max(Math.Max(first, 0) + Math.Max(second, 0), -(Math.Min(first, 0) + Math.Min(second, 0)));
                largest = Math.Max(largest, sum);
                if (sum > SafePairSum) atRisk++;
            }
        return new WeightSaturationRisk(weight.Name, largest, atRisk);
    }
}
