using System.Globalization;
using Pipeline.Drift;
using Prometheus;
using Serving.Server.Inference;

namespace Serving.Server.Metrics;

/// <summary>
/// mlops_drift_bin_total and mlops_drift_baseline_ratio: per baseline quantity, answered rows counted into the
/// baseline's bins with <see cref="DriftBinning"/> (the rule the baseline was built with), next to the baseline fractions.
/// </summary>
internal sealed class DriftMetrics
{
    private readonly NumericQuantity[] _numeric;
    private readonly Counter.Child[]? _classBins;

    /// <param name="baseline">Already checked against the model (<see cref="Model.DriftBaselineBinding"/>).</param>
    public DriftMetrics(CollectorRegistry registry, Model.ServedModel model, DriftBaseline baseline)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var bins = factory.CreateCounter("mlops_drift_bin_total", "Answered rows per drift quantity bin", "model", "version", "quantity", "bin");
        var ratios = factory.CreateGauge("mlops_drift_baseline_ratio", "Baseline fraction of rows per drift quantity bin (from the drift baseline file)",
            "model", "version", "quantity", "bin");
        var numeric = new List<NumericQuantity>();
        foreach (var quantity in baseline.Quantities)
        {
            var children = new Counter.Child[quantity.BinCount];
            for (var b = 0; b < children.Length; b++)
            {
                var bin = b.ToString(CultureInfo.InvariantCulture);
                children[b] = bins.WithLabels(model.Name, model.Version, quantity.Name, bin);
                ratios.WithLabels(model.Name, model.Version, quantity.Name, bin).Set(quantity.Fractions[b]);
            }

            if (quantity.Kind == DriftQuantityKind.PredictedClass) _classBins = children;
            else numeric.Add(new NumericQuantity(model.FindInput(quantity.Input!), model.Inputs[model.FindInput(quantity.Input!)].RowElementCount, quantity.Edges.ToArray(), children));
        }

        _numeric = numeric.ToArray();
    }

    /// <summary>Counts each answered row's input means into their bins.</summary>
    public void CountInputs(InferenceCall call, Span<int> scratch)
    {
        foreach (var q in _numeric)
        {
            var input = call.Inputs[q.Input]!;
            for (var r = 0; r < call.Rows; r++) scratch[r] = DriftBinning.NumericBin(q.Edges, RowMean(input, r * q.RowLength, q.RowLength));
            BinCounts.Add(q.Bins, scratch[..call.Rows]);
        }
    }

    /// <param name="classes">Per row, the class index in class_names (which the baseline's labels equal).</param>
    public void CountClasses(ReadOnlySpan<int> classes)
    {
        if (_classBins is not null) BinCounts.Add(_classBins, classes);
    }

    private static double RowMean(TensorBuffer input, int start, int length) => input switch
    {
        TensorBuffer<float> f => DriftBinning.RowMean((ReadOnlySpan<float>)f.Span.Slice(start, length)),
        TensorBuffer<double> d => DriftBinning.RowMean((ReadOnlySpan<double>)d.Span.Slice(start, length)),
        TensorBuffer<int> i => DriftBinning.RowMean((ReadOnlySpan<int>)i.Span.Slice(start, length)),
        TensorBuffer<long> l => DriftBinning.RowMean((ReadOnlySpan<long>)l.Span.Slice(start, length)),
        _ => double.NaN,
    };

    private sealed record NumericQuantity(int Input, int RowLength, double[] Edges, Counter.Child[] Bins);
}
