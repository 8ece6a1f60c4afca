using System.Globalization;
using Pipeline.Rollouts.Analysis;

namespace Pipeline.Rollouts.Canary;

/// <summary>
/// Turns the canary parameters into a <see cref="CanaryPlan"/>, collecting every problem with them so one run reports
/// them all before any container starts.
/// </summary>
public static class CanaryPlanner
{
    public const string DefaultSteps = "10,50,100";

    public static (CanaryPlan? Plan, IReadOnlyList<string> Problems) Plan(string steps, int stepSeconds, IEnumerable<string> thresholds, int minimumRequests)
    {
        var problems = new List<string>();
        var percents = new List<int>();
        foreach (var part in (steps ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 100)
                problems.Add($"--canary-steps: '{part}' is not a percentage of traffic from 1 to 100 (e.g. --canary-steps {DefaultSteps}).");
            else if (percents.Count > 0 && p <= percents[^1])
                problems.Add($"--canary-steps: {p} follows {percents[^1]}; each step must give the canary more traffic than the one before (e.g. {DefaultSteps}).");
            else percents.Add(p);
        }
        if (problems.Count == 0 && (percents.Count == 0 || percents[^1] != 100))
            problems.Add($"--canary-steps {steps}: the last step must be 100, or the canary is never fully promoted (e.g. {DefaultSteps}).");
        if (stepSeconds < 2)
            problems.Add($"--canary-step-seconds {stepSeconds}: a step needs at least 2 s, or Prometheus (scraping every second) has no rate to analyse.");
        if (minimumRequests < 1)
            problems.Add($"--canary-min-requests {minimumRequests}: an analysis needs at least 1 request to judge; 50 or more is advisable.");

        var parsed = new List<AnalysisThreshold>();
        foreach (var expression in thresholds)
        {
            try
            {
                parsed.Add(AnalysisThresholdParser.Parse(expression));
            }
            catch (FormatException e)
            {
                problems.Add($"--canary-thresholds: {e.Message}");
            }
        }
        if (parsed.Count == 0 && problems.All(p => !p.StartsWith("--canary-thresholds", StringComparison.Ordinal)))
            problems.Add("--canary-thresholds is empty: a canary promoted without analysis is a blue/green switch; give e.g. \"success_rate>=0.999\" \"p99<20ms\".");

        if (problems.Count > 0) return (null, problems);
        var duration = TimeSpan.FromSeconds(stepSeconds);
        var plan = new CanaryPlan(percents, duration, parsed, minimumRequests)
        {
            AnalysisInterval = TimeSpan.FromSeconds(Math.Clamp(stepSeconds / 4, 2, 10)),
        };
        return (plan, problems);
    }
}
