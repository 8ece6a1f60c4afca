namespace Serving.Server.Configuration;

/// <summary>The settings are unusable; <see cref="Errors"/> lists every problem found.</summary>
public sealed class ServerConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid server configuration:\n  - " + string.Join("\n  - ", errors) + "\nRun with --help to list the settings.")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
