namespace Pipeline.LoadTesting.Tests;

/// <summary>Tests whose assertions involve wall-clock behaviour run one at a time within this assembly.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive load runs";
}
