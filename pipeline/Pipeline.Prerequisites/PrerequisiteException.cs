namespace Pipeline.Prerequisites;

/// <summary>
/// A prerequisite is missing and could not be made present. The message names it and the exact
/// command (or setting) that fixes it.
/// </summary>
public sealed class PrerequisiteException : Exception
{
    public PrerequisiteException(string prerequisite, string message, Exception? inner = null)
        : base(message, inner)
    {
        Prerequisite = prerequisite;
    }

    /// <summary>Name of the prerequisite that failed, as shown in the Setup table.</summary>
    public string Prerequisite { get; }
}
