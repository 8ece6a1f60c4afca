namespace Pipeline.Engine;

/// <summary>Every planned target's result in plan order, and the build's outcome.</summary>
public sealed record RunSummary(IReadOnlyList<TargetResult> Results, TimeSpan Duration, bool WasCancelled)
{
    public bool Succeeded => !WasCancelled && Results.All(result => !result.IsFailure);

    public int ExitCode => WasCancelled ? ExitCodes.Cancelled : Succeeded ? ExitCodes.Success : ExitCodes.BuildFailed;

    public TargetResult this[string name] => Results.First(result => result.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
