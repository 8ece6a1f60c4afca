using System.Globalization;

namespace Serving.Server.Tests.Support;

/// <summary>A parsed Prometheus text exposition: samples by name, plus each metric's # HELP and # TYPE.</summary>
public sealed class PrometheusMetrics
{
    private readonly Dictionary<string, (string Labels, double Value)> _samples = new();
    private readonly Dictionary<string, string> _types = new();
    private readonly HashSet<string> _helped = new();

    public static PrometheusMetrics Parse(string text)
    {
        var metrics = new PrometheusMetrics();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 4);
            if (line.StartsWith("# HELP ", StringComparison.Ordinal)) metrics._helped.Add(parts[2]);
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal)) metrics._types[parts[2]] = parts[3];
            else if (line.StartsWith('#')) continue;
            else
            {
                var brace = line.IndexOf('{');
                var space = line.LastIndexOf(' ');
                var name = brace >= 0 ? line[..brace] : line[..space];
                var labels = brace >= 0 ? line[brace..(line.LastIndexOf('}') + 1)] : "";
                metrics._samples[name] = (labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
            }
        }

        return metrics;
    }

    public double this[string name] => _samples.TryGetValue(name, out var sample)
        ? sample.Value
        : throw new KeyNotFoundException($"No sample named {name}; have: {string.Join(", ", _samples.Keys)}.");

    public IReadOnlyCollection<string> Names => _samples.Keys;

    public string LabelsOf(string name) => _samples[name].Labels;

    public string? TypeOf(string name) => _types.GetValueOrDefault(name);

    public bool HasHelp(string name) => _helped.Contains(name);
}
