namespace Pipeline.Gates;

/// <summary>
/// The model to ship: the smallest candidate file that passes every gate; on equal size the more accurate one,
/// then the first by name so the choice never depends on list order. <see cref="Winner"/> is null when none passed.
/// </summary>
public sealed record ReleaseDecision(string? Winner, string Explanation)
{
    public static ReleaseDecision Decide(IReadOnlyList<CandidateSummary> candidates, IReadOnlyList<GateOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(outcomes);
        var failures = FailuresByCandidate(candidates, outcomes);
        var winner = candidates
            .Where(c => failures[c.Name].Count == 0)
            .OrderBy(c => c.SizeBytes).ThenByDescending(c => c.Accuracy).ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (winner is null)
        {
            var reasons = candidates.Select(c => $"{c.Name} failed {DescribeFailures(failures[c.Name])}");
            return new ReleaseDecision(null, $"No candidate passed every gate, so nothing can be released: {string.Join("; ", reasons)}.");
        }

        var parts = new List<string> { $"{winner.Name}: smallest passing candidate ({SizeOf(winner, candidates)})" + TieNote(winner, candidates, failures) };
        foreach (var other in candidates.Where(c => c != winner))
        {
            parts.Add(failures[other.Name].Count == 0
                ? $"{other.Name} also passed ({GateFormat.Value(GateUnit.Megabytes, other.SizeMb)})"
                : $"{other.Name} failed {DescribeFailures(failures[other.Name])}");
        }

        return new ReleaseDecision(winner.Name, string.Join("; ", parts));
    }

    /// <summary>The winner's name; throws <see cref="ReleaseGateFailedException"/> with <see cref="Explanation"/> when there is none.</summary>
    public string RequireWinner() => Winner ?? throw new ReleaseGateFailedException(Explanation);

    private static Dictionary<string, List<GateOutcome>> FailuresByCandidate(IReadOnlyList<CandidateSummary> candidates,
        IReadOnlyList<GateOutcome> outcomes)
    {
        if (candidates.Count == 0)
            throw new ArgumentException("There are no candidates to decide between.", nameof(candidates));
        var duplicate = candidates.CountBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(pair => pair.Value > 1).Key;
        if (duplicate is not null)
            throw new ArgumentException($"Two candidates are named '{duplicate}'; names identify candidates and must be unique.", nameof(candidates));
        var failures = candidates.ToDictionary(c => c.Name, _ => new List<GateOutcome>(), StringComparer.Ordinal);
        var gated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            if (!failures.TryGetValue(outcome.Candidate, out var list))
                throw new ArgumentException($"Gate outcome '{outcome.Gate}' is for candidate '{outcome.Candidate}', which is not among the candidates.",
                    nameof(outcomes));
            gated.Add(outcome.Candidate);
            if (!outcome.Passed) list.Add(outcome);
        }

        // A candidate no gate looked at has not passed anything; shipping it would skip the gates entirely.
        var ungated = candidates.FirstOrDefault(c => !gated.Contains(c.Name));
        if (ungated is not null)
            throw new ArgumentException($"Candidate '{ungated.Name}' has no gate outcomes; evaluate the gates for every candidate.", nameof(outcomes));
        return failures;
    }

    private static string SizeOf(CandidateSummary winner, IReadOnlyList<CandidateSummary> candidates)
    {
        var size = GateFormat.Value(GateUnit.Megabytes, winner.SizeMb);
        var fp32 = candidates.FirstOrDefault(c => c.Kind == CandidateKind.Fp32);
        return fp32 is null || fp32 == winner || fp32.SizeBytes == 0
            ? size
            : $"{size}, {100.0 * winner.SizeBytes / fp32.SizeBytes:0}% of {fp32.Name}";
    }

    private static string TieNote(CandidateSummary winner, IReadOnlyList<CandidateSummary> candidates,
        Dictionary<string, List<GateOutcome>> failures)
    {
        var tied = candidates.Where(c => c != winner && c.SizeBytes == winner.SizeBytes && failures[c.Name].Count == 0).ToList();
        if (tied.Count == 0) return "";
        var names = string.Join(", ", tied.Select(c => c.Name));
        return tied.Any(c => c.Accuracy == winner.Accuracy)
            ? $", tied on size and accuracy with {names}, first by name"
            : $", tied on size with {names}, chosen for higher accuracy ({GateFormat.Value(GateUnit.Fraction, winner.Accuracy)} vs " +
              $"{string.Join(", ", tied.Select(c => GateFormat.Value(GateUnit.Fraction, c.Accuracy)))})";
    }

    private static string DescribeFailures(List<GateOutcome> failed) =>
        string.Join(", ", failed.Select(o =>
            $"{o.Gate} by {GateFormat.Amount(o.Unit, -(o.Margin ?? 0))} ({GateFormat.Value(o.Unit, o.Measured ?? double.NaN)}, " +
            $"needs {(o.Comparison == GateComparison.AtLeast ? "≥" : "≤")} {GateFormat.Value(o.Unit, o.Threshold)})"));
}
