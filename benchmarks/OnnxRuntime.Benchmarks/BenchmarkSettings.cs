namespace OnnxRuntime.Benchmarks;

/// <summary>Command line: <c>model.onnx [--batch 1,64] [--threads 1,2] [--seconds 2] [--spinning on|off] [--into]</c>.</summary>
internal sealed record BenchmarkSettings(
    string ModelPath,
    IReadOnlyList<int> BatchSizes,
    IReadOnlyList<int> Threads,
    TimeSpan Duration,
    bool AllowSpinning,
    bool IntoCallerBuffers)
{
    public const string Usage =
        "usage: OnnxRuntime.Benchmarks <model.onnx> [--batch 1,64] [--threads 1,2] [--seconds 2] [--spinning on|off] [--into]\n" +
        "  The model needs one float input shaped [N, features...]; --into writes outputs into reused buffers.";

    public static BenchmarkSettings Parse(IReadOnlyList<string> args)
    {
        string? model = null;
        IReadOnlyList<int> batches = [1, 64];
        IReadOnlyList<int> threads = [1, Math.Min(2, Environment.ProcessorCount)];
        var seconds = 2.0;
        var spinning = true;
        var into = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--batch": batches = PositiveList(args, ++i, "--batch"); break;
                case "--threads": threads = PositiveList(args, ++i, "--threads"); break;
                case "--seconds": seconds = PositiveNumber(args, ++i, "--seconds"); break;
                case "--spinning": spinning = OnOff(args, ++i); break;
                case "--into": into = true; break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option '{option}'.\n{Usage}");
                default:
                    model = model is null ? args[i] : throw new ArgumentException($"Only one model path is accepted; got '{model}' and '{args[i]}'.\n{Usage}");
                    break;
            }
        }

        if (model is null)
        {
            throw new ArgumentException($"No model path given.\n{Usage}");
        }

        return new BenchmarkSettings(model, batches, threads, TimeSpan.FromSeconds(seconds), spinning, into);
    }

    private static string Value(IReadOnlyList<string> args, int index, string option) =>
        index < args.Count ? args[index] : throw new ArgumentException($"{option} needs a value.\n{Usage}");

    private static int[] PositiveList(IReadOnlyList<string> args, int index, string option)
    {
        var text = Value(args, index, option);
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{option} takes positive integers separated by commas, e.g. 1,64; got '{text}'."))
            .ToArray();
        return values.Length > 0 ? values : throw new ArgumentException($"{option} needs at least one value.");
    }

    private static double PositiveNumber(IReadOnlyList<string> args, int index, string option)
    {
        var text = Value(args, index, option);
        return double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{option} takes a positive number of seconds; got '{text}'.");
    }

    private static bool OnOff(IReadOnlyList<string> args, int index) => Value(args, index, "--spinning") switch
    {
        "on" => true,
        "off" => false,
        var other => throw new ArgumentException($"--spinning takes 'on' or 'off'; got '{other}'."),
    };
}
