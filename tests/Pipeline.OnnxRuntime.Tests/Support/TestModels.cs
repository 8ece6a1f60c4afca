namespace Pipeline.OnnxRuntime.Tests.Support;

/// <summary>Small models built in-process, with the arithmetic to check their outputs independently.</summary>
public static class TestModels
{
    public const int Features = 4;
    public const int Classes = 3;

    /// <summary>Weights [4, 3] and bias [3] of <see cref="Linear"/>.</summary>
    public static readonly float[] Weights = [0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f, -2f, 0.125f, 1f, 0.3f, -0.7f, 0.9f];
    public static readonly float[] Bias = [0.1f, -0.2f, 0.05f];

    /// <summary>scores = x·W + b over a symbolic batch "batch"; label = argmax(scores) as int64.</summary>
    public static byte[] Linear() => new OnnxModelBuilder { GraphName = "linear" }
        .Input("x", TensorElementType.Float, "batch", (long)Features)
        .Initializer("W", Weights, Features, Classes)
        .Initializer("b", Bias, Classes)
        .Node("MatMul", ["x", "W"], ["xw"])
        .Node("Add", ["xw", "b"], ["scores"])
        .Node("ArgMax", ["scores"], ["label"], ("axis", 1), ("keepdims", 0))
        .Output("scores", TensorElementType.Float, "batch", (long)Classes)
        .Output("label", TensorElementType.Int64, "batch")
        .Build();

    public static (float[] Scores, long[] Labels) LinearExpected(float[] x, int batch)
    {
        var scores = new float[batch * Classes];
        var labels = new long[batch];
        for (var row = 0; row < batch; row++)
        {
            for (var c = 0; c < Classes; c++)
            {
                var sum = Bias[c];
                for (var f = 0; f < Features; f++)
                {
                    sum += x[row * Features + f] * Weights[f * Classes + c];
                }

                scores[row * Classes + c] = sum;
                if (sum > scores[row * Classes + (int)labels[row]])
                {
                    labels[row] = c;
                }
            }
        }

        return (scores, labels);
    }

    /// <summary>
    /// <paramref name="depth"/> chained [n, n] MatMuls with a scaled identity, so the values stay finite however long
    /// the chain; used to keep ORT busy long enough to cancel a run.
    /// </summary>
    public static byte[] MatMulChain(int n, int depth)
    {
        var identity = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            identity[i * n + i] = 1f;
        }

        var builder = new OnnxModelBuilder { GraphName = "chain" }
            .Input("x", TensorElementType.Float, (long)n, (long)n)
            .Initializer("I", identity, n, n);
        for (var i = 0; i < depth; i++)
        {
            builder.Node("MatMul", [i == 0 ? "x" : $"h{i}", "I"], [i == depth - 1 ? "y" : $"h{i + 1}"]);
        }

        return builder.Output("y", TensorElementType.Float, (long)n, (long)n).Build();
    }

    public static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 4 - 2);
        }

        return values;
    }
}
