namespace Pipeline.Prerequisites;

/// <summary>
/// One row of the Setup table: the prerequisite, what happened, a sentence for humans and
/// details (path, version, sha256, ...) in the order they were added.
/// </summary>
public sealed record PrerequisiteResult(
    string Name,
    PrerequisiteStatus Status,
    string Message,
    IReadOnlyDictionary<string, string> Details)
{
    public static PrerequisiteResult Failed(string name, PrerequisiteException error) =>
        new(name, PrerequisiteStatus.Failed, error.Message, new Dictionary<string, string>());

    /// <summary>The detail's value, or null when the prerequisite did not report it.</summary>
    public string? Detail(string key) => Details.TryGetValue(key, out var value) ? value : null;
}
