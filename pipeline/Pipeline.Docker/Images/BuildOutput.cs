using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Docker;

/// <summary>
/// Follows a classic build's progress messages: joins the "stream" fragments into whole lines (the engine splits
/// lines and merges them at will), strips the colour codes it puts around a step's standard error, reports each
/// line, and remembers the current step and its last output lines so a failure can say where and why.
/// </summary>
internal sealed partial class BuildOutput(IProgress<BuildProgress>? progress, int tailLines = 15)
{
    private readonly StringBuilder partialLine = new();
    private readonly Queue<string> stepOutput = new();
    private string? currentStep;
    private string? error;
    private int? errorCode;

    public string? ImageId { get; private set; }

    /// <summary>The short ID from "Successfully built 1a2b3c4d5e6f", for engines that send no aux.ID.</summary>
    public string? ShortImageId { get; private set; }

    public void Accept(JSONMessage message)
    {
        if (message.Stream is { } text)
        {
            AcceptText(text);
        }

        if (ProgressMessages.Line(message) is { } status)
        {
            progress?.Report(new BuildProgress(BuildProgressKind.Status, status));
        }

        if (ProgressMessages.AuxText(message, "ID") is { } id)
        {
            ImageId = id;
            progress?.Report(new BuildProgress(BuildProgressKind.ImageId, id));
        }

        if (ProgressMessages.Error(message) is { } failure)
        {
            Flush();
            error = failure;
            errorCode = message.Error?.Code is { } code and >= int.MinValue and <= int.MaxValue ? (int)code : null;
            progress?.Report(new BuildProgress(BuildProgressKind.Error, failure));
        }
    }

    /// <summary>At the end of the answer: reports a last unterminated line and throws if the build failed.</summary>
    public void Complete()
    {
        Flush();
        if (error is not null)
        {
            throw new DockerBuildException(currentStep, [.. stepOutput], error, errorCode);
        }
    }

    private void AcceptText(string text)
    {
        foreach (var c in AnsiEscape().Replace(text, string.Empty))
        {
            if (c == '\n')
            {
                Flush();
            }
            else if (c != '\r')
            {
                partialLine.Append(c);
            }
        }
    }

    private void Flush()
    {
        if (partialLine.Length == 0)
        {
            return;
        }

        var line = partialLine.ToString();
        partialLine.Clear();
        progress?.Report(new BuildProgress(BuildProgressKind.Output, line));
        if (StepLine().IsMatch(line))
        {
            currentStep = line;
            stepOutput.Clear();
        }
        else if (BuiltLine().Match(line) is { Success: true } built)
        {
            ShortImageId = built.Groups[1].Value;
        }
        else if (!IsBookkeeping(line))
        {
            stepOutput.Enqueue(line);
            if (stepOutput.Count > tailLines)
            {
                stepOutput.Dequeue();
            }
        }
    }

    // The engine's own lines say nothing about why a step failed.
    private static bool IsBookkeeping(string line) =>
        line.StartsWith(" ---> ", StringComparison.Ordinal) || line.StartsWith("Removing intermediate container ", StringComparison.Ordinal);

    [GeneratedRegex(@"^Step \d+/\d+ : ")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^Successfully built ([0-9a-f]{12,64})$")]
    private static partial Regex BuiltLine();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
