using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests.Support;

/// <summary>Which integer dot product the emulated CPU has.</summary>
internal enum X86Int8Kernel
{
    /// <summary>AVX-512 VNNI / AVX-VNNI (vpdpbusd): uint8 × int8 products summed exactly in int32.</summary>
    Vnni,

    /// <summary>AVX2 or AVX-512BW without VNNI (vpmaddubsw): pairs of products summed in a saturating int16 first.</summary>
    PairwiseInt16,
}

/// <summary>
/// Runs a dynamically quantized classifier (the graphs <see cref="DynamicInt8Quantizer"/> writes from
/// <see cref="TestModels"/>) the way ONNX Runtime's x86 kernels compute it, on either kind of CPU, whatever CPU the
/// test runs on. It interprets just the operators those graphs hold, rank ≤ 2, in double precision apart from the
/// integer product, so it shows what the kernel's saturation alone does to the answers.
/// </summary>
internal static class X86Int8Emulator
{
    private sealed record Tensor(double[] Values, int Rows, int Columns)
    {
        public static Tensor Scalar(double value) => new([value], 1, 1);
        public bool IsScalar => Values.Length == 1;
    }

    public static ClassifierOutputs Classify(ModelProto model, float[] rows, X86Int8Kernel kernel)
    {
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["input"] = new(rows.Select(v => (double)v).ToArray(), rows.Length / TestModels.Features, TestModels.Features),
        };
        foreach (var initializer in model.Graph.Initializer)
            values[initializer.Name] = FromInitializer(initializer);

        foreach (var node in model.Graph.Node)
        {
            Tensor In(int i) => values[node.Input[i]];
            switch (node.OpType)
            {
                case "Sub": values[node.Output[0]] = Broadcast(In(0), In(1), (a, b) => a - b); break;
                case "Mul": values[node.Output[0]] = Broadcast(In(0), In(1), (a, b) => a * b); break;
                case "Add": values[node.Output[0]] = Broadcast(In(0), In(1), (a, b) => a + b); break;
                case "Relu": values[node.Output[0]] = Map(In(0), v => Math.Max(v, 0)); break;
                case "Cast": values[node.Output[0]] = In(0); break;
                case "DynamicQuantizeLinear":
                    var (quantized, scale, zeroPoint) = DynamicQuantize(In(0));
                    (values[node.Output[0]], values[node.Output[1]], values[node.Output[2]]) = (quantized, scale, zeroPoint);
                    break;
                case "MatMulInteger": values[node.Output[0]] = MatMulInteger(In(0), In(1), In(2), In(3), kernel); break;
                case "Softmax": values[node.Output[0]] = Softmax(In(0)); break;
                case "ArgMax": values[node.Output[0]] = ArgMax(In(0)); break;
                default: throw new NotSupportedException($"The emulator does not interpret {node.OpType} ('{node.Name}').");
            }
        }
        return new ClassifierOutputs(
            values["probabilities"].Values.Select(v => (float)v).ToArray(),
            values["label"].Values.Select(v => (long)v).ToArray());
    }

    /// <summary>ONNX DynamicQuantizeLinear: the range widened to include 0, 255 levels, round half to even.</summary>
    private static (Tensor Quantized, Tensor Scale, Tensor ZeroPoint) DynamicQuantize(Tensor x)
    {
        var (min, max) = (Math.Min(0, x.Values.Min()), Math.Max(0, x.Values.Max()));
        var scale = (float)((max - min) / 255);
        var zeroPoint = Math.Clamp(Math.Round(-min / scale, MidpointRounding.ToEven), 0, 255);
        var quantized = Map(x, v => Math.Clamp(Math.Round(v / scale, MidpointRounding.ToEven) + zeroPoint, 0, 255));
        return (quantized, Tensor.Scalar(scale), Tensor.Scalar(zeroPoint));
    }

    /// <summary>
    /// Σk (a − a0)(w − w0) as MLAS computes it: the raw products first (pairs along K saturating in int16 without
    /// VNNI), then the zero-point terms from row and column sums, which are exact.
    /// </summary>
    private static Tensor MatMulInteger(Tensor a, Tensor w, Tensor aZero, Tensor wZero, X86Int8Kernel kernel)
    {
        if (wZero.Values.Any(z => z != 0)) throw new NotSupportedException("The emulator expects symmetric weights (zero point 0).");
        var (m, k, n) = (a.Rows, a.Columns, w.Columns);
        var result = new double[m * n];
        for (var row = 0; row < m; row++)
        {
            var rowSum = 0;
            for (var i = 0; i < k; i++) rowSum += (int)a.Values[row * k + i];
            for (var column = 0; column < n; column++)
            {
                var raw = 0L;
                for (var i = 0; i < k; i += 2)
                {
                    var first = (int)a.Values[row * k + i] * (int)w.Values[i * n + column];
                    var second = i + 1 < k ? (int)a.Values[row * k + i + 1] * (int)w.Values[(i + 1) * n + column] : 0;
                    raw += kernel == X86Int8Kernel.Vnni ? first + second : Math.Clamp(first + second, short.MinValue, short.MaxValue);
                }
                var columnSum = 0;
                for (var i = 0; i < k; i++) columnSum += (int)w.Values[i * n + column];
                result[row * n + column] = raw - aZero.Values[0] * columnSum;
            }
            _ = rowSum; // w0 = 0, so the a-row-sum term w0 · Σa vanishes.
        }
        return new Tensor(result, m, n);
    }

    private static Tensor Softmax(Tensor x)
    {
        var result = new double[x.Values.Length];
        for (var row = 0; row < x.Rows; row++)
        {
            var slice = x.Values.AsSpan(row * x.Columns, x.Columns);
            var max = double.NegativeInfinity;
            foreach (var v in slice) max = Math.Max(max, v);
            var sum = 0.0;
            for (var c = 0; c < x.Columns; c++) sum += result[row * x.Columns + c] = Math.Exp(slice[c] - max);
            for (var c = 0; c < x.Columns; c++) result[row * x.Columns + c] /= sum;
        }
        return x with { Values = result };
    }

    private static Tensor ArgMax(Tensor x)
    {
        var result = new double[x.Rows];
        for (var row = 0; row < x.Rows; row++)
        {
            var best = 0;
            for (var c = 1; c < x.Columns; c++)
                if (x.Values[row * x.Columns + c] > x.Values[row * x.Columns + best]) best = c;
            result[row] = best;
        }
        return new Tensor(result, x.Rows, 1);
    }

    private static Tensor Map(Tensor x, Func<double, double> f) => x with { Values = x.Values.Select(f).ToArray() };

    /// <summary>Numpy broadcasting for the shapes these graphs use: [N, C] with [N, C], [C] or a scalar, and scalars.</summary>
    private static Tensor Broadcast(Tensor left, Tensor right, Func<double, double, double> f)
    {
        if (left.IsScalar && !right.IsScalar) return Broadcast(right, left, (a, b) => f(b, a));
        var result = new double[left.Values.Length];
        for (var i = 0; i < result.Length; i++)
            result[i] = f(left.Values[i], right.IsScalar ? right.Values[0] : right.Values[right.Values.Length == left.Values.Length ? i : i % left.Columns]);
        return left with { Values = result };
    }

    private static Tensor FromInitializer(TensorProto tensor)
    {
        double[] values = (DataType)tensor.DataType switch
        {
            DataType.Float => OnnxTensors.ToFloats(tensor).Select(v => (double)v).ToArray(),
            DataType.Int8 => OnnxTensors.ToInt8s(tensor).Select(v => (double)v).ToArray(),
            DataType.Uint8 => OnnxTensors.ToUInt8s(tensor).Select(v => (double)v).ToArray(),
            DataType.Int64 => OnnxTensors.ToInt64s(tensor).Select(v => (double)v).ToArray(),
            var other => throw new NotSupportedException($"Initializer '{tensor.Name}' has type {other}."),
        };
        return tensor.Dims.Count == 2
            ? new Tensor(values, (int)tensor.Dims[0], (int)tensor.Dims[1])
            : new Tensor(values, 1, values.Length);
    }
}
