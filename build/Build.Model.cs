using Pipeline.Engine;
using Pipeline.Stages;
using Training.MlNet;

/// <summary>Which model the run ships (--model), its data, and its ML.NET candidates.</summary>
sealed partial class Build
{
    // ---- The model ------------------------------------------------------------------------------------------------

    [Parameter("Model to ship: the name of a definition in training/Training.MlNet/Models (fashion-mnist, penguins, or your own); the Models target lists them")]
    readonly string Model = ModelCatalog.DefaultModel;

    [Parameter("ML.NET candidates to train, by name (default: every candidate of the model that is not opt-in)")]
    readonly string[] Candidates = [];

    // Discovered once per run: Definition, ModelName and the targets' inputs read it many times.
    readonly Lazy<ModelCatalog> _catalog = new(ModelCatalog.Discover);

    ModelCatalog Catalog => _catalog.Value;

    /// <summary>--model takes the names of the definitions compiled in, --strategy its three: --help lists them, any other value is refused before anything runs.</summary>
    public override IReadOnlyList<string>? ParameterChoices(string parameter) => parameter switch
    {
        nameof(Model) => [.. Catalog.Names],
        nameof(Strategy) => [BlueGreenStrategy, CanaryStrategy, AbStrategy],
        _ => null,
    };

    /// <summary>The definition --model names; an unknown name fails with the list of known ones.</summary>
    IModelDefinition Definition => Catalog.Get(Model);

    /// <summary>The name the model is registered, tagged and served under.</summary>
    string ModelName => Definition.Name;

    /// <summary>True when the project's MLP family (Train, ExportOnnx, Quantize, Prune, Distill) competes for this model.</summary>
    bool TrainsMlp => Definition.IncludesProjectMlp;

    string DataPackagesDirectory => Path.Combine(StateDirectory, "data-packages");

    ModelSource ModelData => new(Definition, new ModelDataFiles(DataPackagesDirectory) { FashionMnistDirectory = DatasetDirectory }, Seed);

    /// <summary>Every model's Debian data packages, so Setup once makes every --model runnable.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> DataPackages => Catalog.All
        .SelectMany(d => d.Data)
        .GroupBy(r => r.DebianPackage)
        .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.PathInPackage).Distinct().ToList());

    /// <summary>The files the model's data comes from, as inputs of the targets that read them.</summary>
    string[] ModelDataInputs => TrainsMlp
        ? [DatasetFiles]
        : [.. Definition.Data.Select(d => Path.Combine(DataPackagesDirectory, d.DebianPackage, d.PathInPackage))];

    IReadOnlyList<MlNetCandidate> SelectedMlNetCandidates => Candidates.Length == 0
        ? Definition.Candidates.Where(c => !c.OptIn).ToList()
        : Candidates.Select(name => Definition.Candidates.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException(
            $"Model '{ModelName}' has no ML.NET candidate '{name}'; its candidates: {string.Join(", ", Definition.Candidates.Select(c => c.Name))}.")).ToList();

    Target TrainMlNet => _ => _
        .Description("Trains the model's ML.NET candidates and exports each to ONNX with OnnxConverter, written only when ONNX Runtime answers the whole test set as ML.NET does")
        .DependsOn(Setup)
        .CodeInputs(StageProject("TrainMlNet"))
        .Inputs(ModelDataInputs)
        .Inputs(() => Model, () => Candidates, () => Seed)
        .Outputs("artifacts/train/mlnet.json")
        .Produces("artifacts/train/mlnet*", "artifacts/model/model.mlnet-*.onnx")
        .Executes(async (ctx, ct) =>
        {
            var (revision, created) = (await RevisionAsync(ct), DateTimeOffset.UtcNow);
            var result = await new MlNetTrainStage(ctx.Log.WriteLine).RunAsync(new MlNetTrainStageRequest(
                ModelData, Candidates, TrainDirectory, ModelDirectory, ModelVersionFor(created, revision), revision, created), ct);
            ctx.AppendStepSummary($"### TrainMlNet ({ModelName})\n\n" + string.Join("\n", result.Candidates.Select(c =>
                $"- {c.Name}: {string.Join(", ", c.TestMetrics.Select(m => $"{m.Key} {m.Value:G4}"))}, trained in {c.TrainingSeconds:F0} s")) + "\n");
        });
}
