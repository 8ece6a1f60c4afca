namespace Pipeline.DotNet;

/// <summary>What to test and where the result files go. <paramref name="ResultsDirectory"/> is emptied first.</summary>
public sealed record DotNetTestRequest(string Target, string Configuration, string ResultsDirectory)
{
    /// <summary>Variables the test processes see in addition to the inherited environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Pass --no-build (the Compile target built everything already).</summary>
    public bool NoBuild { get; init; }

    /// <summary>A dotnet test --filter expression, or null for every test.</summary>
    public string? Filter { get; init; }
}
