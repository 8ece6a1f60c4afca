namespace Pipeline.Processes;

/// <summary>Runs a program to completion and captures what it printed.</summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs <paramref name="spec"/> and waits for it to exit. Throws <see cref="CommandNotFoundException"/>
    /// when the program does not exist; a non-zero exit code is returned, not thrown.
    /// Cancelling kills the process tree.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}
