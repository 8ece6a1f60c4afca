namespace Pipeline.Prerequisites;

/// <summary>
/// Runs prerequisites one after another and keeps going after a failure, so one Setup run
/// shows every missing piece with its fix instead of only the first.
/// </summary>
public static class PrerequisiteSetup
{
    public static async Task<IReadOnlyList<PrerequisiteResult>> RunAllAsync(
        IEnumerable<IPrerequisite> prerequisites,
        Action<PrerequisiteResult>? onResult,
        CancellationToken cancellationToken)
    {
        var results = new List<PrerequisiteResult>();
        foreach (var prerequisite in prerequisites)
        {
            PrerequisiteResult result;
            try
            {
                result = await prerequisite.EnsureAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PrerequisiteException error)
            {
                result = PrerequisiteResult.Failed(prerequisite.Name, error);
            }

            onResult?.Invoke(result);
            results.Add(result);
        }

        return results;
    }

    /// <summary>Throws one exception listing every failed prerequisite's message (each holds its fix).</summary>
    public static void ThrowIfAnyFailed(IReadOnlyList<PrerequisiteResult> results)
    {
        var failed = results.Where(r => r.Status == PrerequisiteStatus.Failed).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        var lines = failed.Select(r => $"- {r.Name}: {r.Message}");
        throw new PrerequisiteException(
            string.Join(", ", failed.Select(r => r.Name)),
            $"{failed.Count} prerequisite(s) missing:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
    }
}
