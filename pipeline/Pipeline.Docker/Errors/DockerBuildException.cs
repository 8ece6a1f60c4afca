namespace Pipeline.Docker;

/// <summary>
/// A Dockerfile step failed. The message names the step ("Step 5/9 : RUN ...") and ends with the last lines
/// that step printed, which is where the cause almost always is. A Dockerfile the engine cannot parse is refused
/// before any step runs: then <see cref="FailedStep"/> is null and <see cref="DockerException.StatusCode"/> is set.
/// </summary>
public sealed class DockerBuildException : DockerException
{
    public DockerBuildException(
        string? failedStep, IReadOnlyList<string> outputTail, string engineMessage, int? exitCode, HttpStatusCode? statusCode = null)
        : base(Describe(failedStep, outputTail, engineMessage), statusCode, engineMessage)
    {
        FailedStep = failedStep;
        OutputTail = outputTail;
        ExitCode = exitCode;
    }

    /// <summary>The step line as the engine printed it, or null when the build failed before its first step.</summary>
    public string? FailedStep { get; }

    /// <summary>The last lines the failed step printed (engine bookkeeping lines left out).</summary>
    public IReadOnlyList<string> OutputTail { get; }

    /// <summary>The failing command's exit code, when the engine reported one.</summary>
    public int? ExitCode { get; }

    private static string Describe(string? step, IReadOnlyList<string> tail, string error)
    {
        var where = step is null ? "before its first step" : $"at {step}";
        var output = tail.Count == 0
            ? step is null ? string.Empty : " (the step printed nothing)"
            : $". Last output of the step:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", tail);
        return $"Docker build failed {where}: {error}{output}";
    }
}
