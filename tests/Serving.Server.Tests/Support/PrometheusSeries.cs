using System.Globalization;
using System.Text.RegularExpressions;

namespace Serving.Server.Tests.Support;

/// <summary>Every sample of a Prometheus text exposition with its labels, for metrics with many series.</summary>
public sealed partial class PrometheusSeries
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public string Text { get; private init; } = "";

    public static PrometheusSeries Parse(string text)
    {
        var series = new PrometheusSeries { Text = text };
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var brace = line.IndexOf('{');
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 ? line[..brace] : line[..space];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0)
                foreach (Match m in Label().Matches(line[brace..(line.LastIndexOf('}') + 1)]))
                    labels[m.Groups[1].Value] = m.Groups[2].Value.Replace("\\\"", "\"").Replace("\\\\", "\\");
            series._samples.Add((name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }

        return series;
    }

    /// <summary>Samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Value)> Where(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value))
            .Select(s => ((IReadOnlyDictionary<string, string>)s.Labels, s.Value));

    /// <summary>The one sample matching, or 0 when the series does not exist (a counter never incremented).</summary>
    public double Value(string name, params (string Key, string Value)[] labels) => Where(name, labels).SingleOrDefault().Value;

    /// <summary>Per bin "0".."K-1" of a drift quantity, the value of <paramref name="name"/>.</summary>
    public double[] Bins(string name, string quantity)
    {
        var bins = Where(name, ("quantity", quantity)).ToDictionary(s => int.Parse(s.Labels["bin"], CultureInfo.InvariantCulture), s => s.Value);
        return Enumerable.Range(0, bins.Count).Select(b => bins[b]).ToArray();
    }

    [GeneratedRegex("""(\w+)="((?:[^"\\]|\\.)*)"(?:,|\})""")]
    private static partial Regex Label();
}
