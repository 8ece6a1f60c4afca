using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.LoadTesting.Thresholds;

/// <summary>Parses k6-like thresholds: <c>p99&lt;50ms</c>, <c>p(95)&lt;200ms</c>, <c>error_rate&lt;0.001</c>, <c>rps&gt;=500</c>, <c>max&lt;1s</c>.</summary>
public static partial class ThresholdParser
{
    public const string AcceptedForms =
        "METRIC OP VALUE, where METRIC is pNN, pNN.N, p(NN), min, max, mean or avg (VALUE a duration with unit us, ms, s or m, " +
        "e.g. 250ms), error_rate (a fraction like 0.001 or a percentage like 0.1%) or rps (requests per second); OP is <, <=, > or >=. " +
        "Examples: p99<50ms, p(95)<200ms, p99.9<=1s, max<1s, error_rate<0.001, rps>=500";

    public static IReadOnlyList<Threshold> ParseAll(IEnumerable<string> expressions) => expressions.Select(Parse).ToList();

    public static Threshold Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var match = Shape().Match(expression);
        if (!match.Success) throw Error(expression, "it is not METRIC OP VALUE");
        var comparison = match.Groups["op"].Value switch
        {
            "<" => Comparison.LessThan,
            "<=" => Comparison.LessOrEqual,
            ">" => Comparison.GreaterThan,
            _ => Comparison.GreaterOrEqual,
        };
        var (metric, percentile) = ParseMetric(expression, match.Groups["metric"].Value.ToLowerInvariant());
        var limit = metric switch
        {
            ThresholdMetric.ErrorRate => ParseRate(expression, match.Groups["value"].Value),
            ThresholdMetric.RequestsPerSecond => ParseNumber(expression, match.Groups["value"].Value, "rps takes a plain number of requests per second"),
            _ => ParseMilliseconds(expression, match.Groups["value"].Value),
        };
        return new Threshold(expression.Trim(), metric, percentile, comparison, limit);
    }

    private static (ThresholdMetric, double?) ParseMetric(string expression, string metric)
    {
        switch (metric)
        {
            case "min": return (ThresholdMetric.Min, null);
            case "max": return (ThresholdMetric.Max, null);
            case "mean" or "avg": return (ThresholdMetric.Mean, null);
            case "error_rate": return (ThresholdMetric.ErrorRate, null);
            case "rps": return (ThresholdMetric.RequestsPerSecond, null);
        }
        var p = Percentile().Match(metric);
        if (!p.Success) throw Error(expression, $"unknown metric '{metric}'");
        var value = double.Parse(p.Groups["n"].Value, CultureInfo.InvariantCulture);
        if (value is <= 0 or > 100) throw Error(expression, $"percentile {value} is outside (0, 100]");
        return (ThresholdMetric.Percentile, value);
    }

    private static double ParseMilliseconds(string expression, string value)
    {
        var d = Duration().Match(value);
        if (!d.Success) throw Error(expression, $"'{value}' is not a duration with a unit (us, ms, s, m)");
        var number = double.Parse(d.Groups["n"].Value, CultureInfo.InvariantCulture);
        return d.Groups["unit"].Value switch
        {
            "us" or "µs" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            _ => number * 60_000,
        };
    }

    private static double ParseRate(string expression, string value)
    {
        var percent = value.EndsWith('%');
        var number = ParseNumber(expression, percent ? value[..^1] : value, "error_rate takes a fraction (0.001) or a percentage (0.1%)");
        var fraction = percent ? number / 100 : number;
        if (fraction is < 0 or > 1) throw Error(expression, $"error rate {value} is outside 0–1 (0%–100%)");
        return fraction;
    }

    private static double ParseNumber(string expression, string value, string hint) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n >= 0
            ? n
            : throw Error(expression, $"'{value}' is not a number ≥ 0 ({hint})");

    private static FormatException Error(string expression, string problem) =>
        new($"Bad threshold '{expression}': {problem}. Accepted forms: {AcceptedForms}.");

    [GeneratedRegex(@"^\s*(?<metric>[A-Za-z_]+\(?[0-9.]*\)?)\s*(?<op><=|>=|<|>)\s*(?<value>[^\s<>=]+)\s*$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"^p(?:\((?<n>[0-9]+(?:\.[0-9]+)?)\)|(?<n>[0-9]+(?:\.[0-9]+)?))$")]
    private static partial Regex Percentile();

    [GeneratedRegex(@"^(?<n>[0-9]+(?:\.[0-9]+)?)(?<unit>us|µs|ms|s|m)$")]
    private static partial Regex Duration();
}
