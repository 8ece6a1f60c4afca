namespace Pipeline.Engine;

/// <summary>
/// The build cannot start: a definition, argument, parameter or plan is invalid. Raised before any target runs;
/// <see cref="Errors"/> lists every problem found, each naming what is wrong and how to fix it.
/// </summary>
public sealed class BuildConfigurationException : Exception
{
    public BuildConfigurationException(string error)
        : this([error])
    {
    }

    public BuildConfigurationException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
