namespace Pipeline.Drift;

/// <summary>A drift baseline file that is missing, unreadable or inconsistent; the message names the file and the fix.</summary>
public sealed class DriftBaselineException(string message, Exception? inner = null) : Exception(message, inner);
