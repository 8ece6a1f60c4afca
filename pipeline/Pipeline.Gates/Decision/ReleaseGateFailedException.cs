namespace Pipeline.Gates;

/// <summary>No candidate passed every gate; the message names each failed gate and its margin.</summary>
public sealed class ReleaseGateFailedException(string message) : Exception(message);
