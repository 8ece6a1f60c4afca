namespace Pipeline.Stages;

/// <summary>A deploy or rollback did not happen; the message says why and what serves now.</summary>
public sealed class DeployFailedException(string message, Exception? innerException = null) : Exception(message, innerException);
