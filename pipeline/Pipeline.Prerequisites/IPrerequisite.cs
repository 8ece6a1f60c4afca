namespace Pipeline.Prerequisites;

/// <summary>Something the pipeline needs on this machine, made present idempotently.</summary>
public interface IPrerequisite
{
    string Name { get; }

    /// <summary>
    /// Finds the prerequisite or installs/starts it. Throws <see cref="PrerequisiteException"/> when it
    /// is missing and cannot be made present.
    /// </summary>
    Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken);
}
