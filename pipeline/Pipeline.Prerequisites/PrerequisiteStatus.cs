namespace Pipeline.Prerequisites;

/// <summary>What a prerequisite check found or did.</summary>
public enum PrerequisiteStatus
{
    AlreadyPresent,
    Installed,
    Started,
    Failed,
}
