namespace Pipeline.Engine.Tests.Parameters;

public enum RunMode
{
    Fast,
    Thorough,
}

/// <summary>One parameter of every supported kind; the Show target prints the values it received.</summary>
public sealed class ParameterBuild : BuildDefinition
{
    [Parameter("Random seed")] public readonly int Seed = 42;
    [Parameter("Minimum accuracy")] public readonly double MinAccuracy = 0.5;
    [Parameter] public readonly long Budget = 10;
    [Parameter] public readonly string Label = "default";
    [Parameter("Thresholds")] public readonly string[] LoadThresholds = [];
    [Parameter] public readonly int[] Sizes = [1];
    [Parameter] public readonly bool DryRun;
    [Parameter] public readonly RunMode Mode = RunMode.Fast;
    [Parameter] public readonly AbsolutePath? OutputDirectory;
    [Parameter] public readonly int? MaxEpochs;
    [Parameter("Registry password"), Secret] public readonly string? RegistryPassword;
    [Parameter, Secret] public readonly int SecretNumber;
    [Parameter] public string Region { get; } = "eu";
    [Parameter("The model to ship")] public readonly string Model = "iris";

    /// <summary>Known only at run time, as a build's compiled-in model definitions are.</summary>
    public override IReadOnlyList<string>? ParameterChoices(string parameter) => parameter == nameof(Model) ? ["iris", "penguins"] : null;

    public override Target? DefaultTarget => Show;

    Target Show => _ => _.Executes((context, _) =>
    {
        context.Log.WriteLine($"password is {RegistryPassword}");
        context.Log.WriteLine($"region {Region}");
    });
}
