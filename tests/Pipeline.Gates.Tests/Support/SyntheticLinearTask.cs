namespace Pipeline.Gates.Tests.Support;

/// <summary>
/// A 784 → 10 classification task whose answers are known by construction. The true weights are low-rank
/// (Left [784, 3] × Right [3, 10]), so an exact smaller "compressed" model exists; the int8 copy quantizes the weights
/// per output column. Rows are pixel-like (most zero, the rest 0..255) and kept only when every model's top two
/// logits are at least <see cref="MinimumGap"/> apart, so float rounding can never flip a label and the expected
/// labels are exact. Every tenth label is then changed to the next class: the exact model scores 90% by design.
/// </summary>
internal sealed class SyntheticLinearTask
{
    public const int Features = 784;
    public const int Classes = 10;
    public const int Rank = 3;
    public const double MinimumGap = 0.01;

    private SyntheticLinearTask(Random random, int rows)
    {
        Left = Uniform(random, Features * Rank, 1.0);
        Right = Uniform(random, Rank * Classes, 1.0 / 1000);
        Bias = Uniform(random, Classes, 0.5);
        Weight = new float[Features * Classes];
        for (var i = 0; i < Features; i++)
            for (var c = 0; c < Classes; c++)
                Weight[i * Classes + c] = (float)Enumerable.Range(0, Rank).Sum(k => (double)Left[i * Rank + k] * Right[k * Classes + c]);
        (QuantizedWeight, Scales) = QuantizePerColumn(Weight);
        DequantizedWeight = QuantizedWeight.Select((q, index) => q * Scales[index % Classes]).ToArray();
        (Rows, TrueLabels) = SampleRows(random, rows);
        Labels = TrueLabels.Select((label, r) => r % 10 == 0 ? (label + 1) % Classes : label).ToArray();
        TestSet = new LabelledTestSet(Rows, Labels, Features);
    }

    public float[] Left { get; }
    public float[] Right { get; }
    public float[] Bias { get; }
    public float[] Weight { get; }
    public sbyte[] QuantizedWeight { get; }
    public float[] Scales { get; }
    /// <summary>What the int8 model computes with: q × scale, in float as DequantizeLinear does.</summary>
    public float[] DequantizedWeight { get; }
    public float[] Rows { get; }
    /// <summary>argmax of the exact model, before every tenth label is changed.</summary>
    public int[] TrueLabels { get; }
    public int[] Labels { get; }
    public LabelledTestSet TestSet { get; }
    public int Count => Labels.Length;

    public static SyntheticLinearTask Create(int seed, int rows) => new(new Random(seed), rows);

    /// <summary>The weights with the columns of classes 0 and 1 swapped: a deliberately worse model.</summary>
    public (float[] Weight, float[] Bias) SwappedClasses()
    {
        var weight = (float[])Weight.Clone();
        for (var i = 0; i < Features; i++)
            (weight[i * Classes], weight[i * Classes + 1]) = (weight[i * Classes + 1], weight[i * Classes]);
        var bias = (float[])Bias.Clone();
        (bias[0], bias[1]) = (bias[1], bias[0]);
        return (weight, bias);
    }

    private (float[] Features, int[] Labels) SampleRows(Random random, int rows)
    {
        var features = new List<float>(rows * Features);
        var labels = new List<int>(rows);
        while (labels.Count < rows)
        {
            var row = Enumerable.Range(0, Features).Select(_ => random.NextDouble() < 0.6 ? 0f : random.Next(256)).ToArray();
            var exact = ReferenceClassifier.Logits(row, 1, Weight, Bias);
            var quantized = ReferenceClassifier.Logits(row, 1, DequantizedWeight, Bias);
            if (ReferenceClassifier.TopTwoGap(exact) < MinimumGap || ReferenceClassifier.TopTwoGap(quantized) < MinimumGap) continue;
            features.AddRange(row);
            labels.Add(ReferenceClassifier.ArgMax(exact, Classes)[0]);
        }
        return (features.ToArray(), labels.ToArray());
    }

    private static (sbyte[] Quantized, float[] Scales) QuantizePerColumn(float[] weight)
    {
        var scales = new float[Classes];
        for (var c = 0; c < Classes; c++)
            scales[c] = Enumerable.Range(0, Features).Max(i => Math.Abs(weight[i * Classes + c])) / 127f;
        var quantized = weight.Select((w, index) => (sbyte)Math.Clamp(Math.Round(w / scales[index % Classes]), -127, 127)).ToArray();
        return (quantized, scales);
    }

    private static float[] Uniform(Random random, int count, double limit) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * limit)).ToArray();
}
