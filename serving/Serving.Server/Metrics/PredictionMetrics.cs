using Prometheus;

namespace Serving.Server.Metrics;

/// <summary>mlops_predicted_class_total: one count per answered row, by the class the server returned; children cached per class.</summary>
internal sealed class PredictionMetrics
{
    private readonly Counter.Child[] _classes;

    public PredictionMetrics(CollectorRegistry registry, string model, string version, IReadOnlyList<string> classNames)
    {
        var counter = Prometheus.Metrics.WithCustomRegistry(registry).CreateCounter("mlops_predicted_class_total",
            "Answered rows by the class label the server returned", "model", "version", "class");
        _classes = classNames.Select(name => counter.WithLabels(model, version, name)).ToArray();
    }

    /// <param name="classes">Per row, the class index in class_names; -1 (a label outside class_names) is not counted.</param>
    public void Count(ReadOnlySpan<int> classes) => BinCounts.Add(_classes, classes);
}
