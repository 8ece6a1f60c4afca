using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.LoadTesting.Thresholds;

namespace Pipeline.Rollouts.Analysis;

/// <summary>
/// Parses canary analysis thresholds: <c>success_rate&gt;=0.999</c>, <c>error_rate&lt;0.1%</c>, <c>p99&lt;20ms</c>, <c>p(95)&lt;=15ms</c>.
/// Latency and error_rate read exactly as the load test's thresholds do (the same parser); success_rate is its complement.
/// </summary>
public static partial class AnalysisThresholdParser
{
    public const string AcceptedForms =
        "success_rate OP FRACTION (0.999 or 99.9%), error_rate OP FRACTION, or pNN/p(NN) OP DURATION (us, ms, s); OP is <, <=, > or >=. " +
        "Examples: success_rate>=0.999, p99<20ms, p(95)<=15ms, error_rate<0.5%";

    public static IReadOnlyList<AnalysisThreshold> ParseAll(IEnumerable<string> expressions) => expressions.Select(Parse).ToList();

    public static AnalysisThreshold Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var success = SuccessRate().Match(expression);
        if (success.Success)
        {
            // success_rate>=x is error_rate<=1-x: parse the fraction with the load test's rules, keep the operator.
            Threshold asError;
            try
            {
                asError = ThresholdParser.Parse($"error_rate<{success.Groups["value"].Value}");
            }
            catch (FormatException e)
            {
                throw Error(expression, Problem(e).Replace("error rate", "success rate", StringComparison.Ordinal));
            }
            return new AnalysisThreshold(expression.Trim(), AnalysisMetric.SuccessRate, null, ComparisonOf(success.Groups["op"].Value), asError.Limit);
        }

        Threshold parsed;
        try
        {
            parsed = ThresholdParser.Parse(expression);
        }
        catch (FormatException e)
        {
            throw Error(expression, Problem(e));
        }
        return parsed.Metric switch
        {
            ThresholdMetric.ErrorRate => new AnalysisThreshold(parsed.Expression, AnalysisMetric.ErrorRate, null, parsed.Comparison, parsed.Limit),
            ThresholdMetric.Percentile => new AnalysisThreshold(parsed.Expression, AnalysisMetric.LatencyPercentile, parsed.Percentile, parsed.Comparison, parsed.Limit),
            _ => throw Error(expression, $"a canary analysis reads success rate, error rate and latency percentiles from Prometheus histograms, not {Word(parsed.Metric)}"),
        };
    }

    private static Comparison ComparisonOf(string op) => op switch
    {
        "<" => Comparison.LessThan,
        "<=" => Comparison.LessOrEqual,
        ">" => Comparison.GreaterThan,
        _ => Comparison.GreaterOrEqual,
    };

    private static string Word(ThresholdMetric metric) => metric switch
    {
        ThresholdMetric.RequestsPerSecond => "rps",
        _ => metric.ToString().ToLowerInvariant(),
    };

    private static string Problem(FormatException e) =>
        e.Message.Split(": ", 2).ElementAtOrDefault(1)?.Split(". Accepted forms", 2)[0] ?? e.Message;

    private static FormatException Error(string expression, string problem) =>
        new($"Bad analysis threshold '{expression}': {problem}. Accepted forms: {AcceptedForms}.");

    [GeneratedRegex(@"^\s*success_rate\s*(?<op><=|>=|<|>)\s*(?<value>[^\s<>=]+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SuccessRate();
}
