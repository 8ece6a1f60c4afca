namespace Pipeline.Processes;

/// <summary>The program to run does not exist (not on PATH, or the given path is missing).</summary>
public sealed class CommandNotFoundException(string command, Exception? inner = null)
    : Exception($"Command not found: {command}", inner)
{
    public string Command { get; } = command;
}
