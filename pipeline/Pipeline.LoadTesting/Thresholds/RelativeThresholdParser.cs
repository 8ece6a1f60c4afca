using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.LoadTesting.Thresholds;

/// <summary>Parses thresholds relative to a baseline: <c>p99&lt;=1.2x</c>, <c>p(95)&lt;1.1x</c>, <c>mean&lt;=1.2x</c>, <c>rps&gt;=0.95x</c>.</summary>
public static partial class RelativeThresholdParser
{
    public const string AcceptedForms =
        "METRIC OP FACTORx, where METRIC is pNN, pNN.N, p(NN), min, max, mean, avg or rps, OP is <, <=, > or >=, and FACTOR " +
        "a positive number times the baseline's value. Examples: p99<=1.2x, p(95)<1.1x, rps>=0.95x";

    public static IReadOnlyList<RelativeThreshold> ParseAll(IEnumerable<string> expressions) => expressions.Select(Parse).ToList();

    public static RelativeThreshold Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var match = Shape().Match(expression);
        if (!match.Success)
            throw Error(expression, expression.Contains('x', StringComparison.Ordinal) ? "it is not METRIC OP FACTORx" : "it has no factor ending in x (an absolute limit belongs in --load-thresholds)");
        var factor = double.TryParse(match.Groups["factor"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f) && f > 0
            ? f
            : throw Error(expression, $"'{match.Groups["factor"].Value}' is not a positive factor");
        // The metric and operator mean the same as in an absolute threshold; parse them the same way.
        Threshold absolute;
        try
        {
            absolute = ThresholdParser.Parse($"{match.Groups["metric"].Value}{match.Groups["op"].Value}{(IsLatency(match) ? "1ms" : "1")}");
        }
        catch (FormatException e)
        {
            var problem = e.Message.Split(": ", 2).ElementAtOrDefault(1)?.Split(". Accepted forms", 2)[0] ?? e.Message;
            throw Error(expression, problem);
        }
        if (absolute.Metric == ThresholdMetric.ErrorRate)
            throw Error(expression, "error_rate has no meaningful ratio to a baseline that had no errors; set an absolute error_rate in --load-thresholds");
        return new RelativeThreshold(expression.Trim(), absolute.Metric, absolute.Percentile, absolute.Comparison, factor);
    }

    private static bool IsLatency(Match match) => match.Groups["metric"].Value.ToLowerInvariant() is not ("rps" or "error_rate");

    private static FormatException Error(string expression, string problem) =>
        new($"Bad relative threshold '{expression}': {problem}. Accepted forms: {AcceptedForms}.");

    [GeneratedRegex(@"^\s*(?<metric>[A-Za-z_]+\(?[0-9.]*\)?)\s*(?<op><=|>=|<|>)\s*(?<factor>[0-9.eE+-]+)\s*x\s*$")]
    private static partial Regex Shape();
}
