using Microsoft.ML;

namespace Training.MlNet;

/// <summary>
/// Everything project-specific about one model, and nothing else: its data, its task, its columns and the ML.NET
/// pipelines that may ship it. Export, quantization, gates, registry, container, load test, deploy and rollback are
/// generic over the schema it declares. A team adds its model by adding one class that implements this in
/// <c>training/Training.MlNet/Models/</c>; <see cref="ModelCatalog"/> finds it by its <see cref="Name"/>.
/// </summary>
public interface IModelDefinition
{
    /// <summary>The name the model is selected (<c>--model</c>), registered, tagged and served under: lowercase letters, digits and '-'.</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Description { get; }

    ModelTask Task { get; }

    /// <summary>The column holding the truth (class names or numbers); never an input of the served model.</summary>
    string LabelColumn { get; }

    /// <summary>The source columns the served model takes, in order; each becomes one named ONNX input with its own type.</summary>
    IReadOnlyList<string> FeatureColumns { get; }

    /// <summary>Files Setup must fetch before <see cref="LoadAsync"/> can run.</summary>
    IReadOnlyList<DataRequirement> Data { get; }

    /// <summary>True when the project's own MLP family (fp32, int8, pruned, distilled) also competes for this model.</summary>
    bool IncludesProjectMlp => false;

    /// <summary>Loads the train and test rows (an official split, or a split seeded by <paramref name="seed"/>).</summary>
    Task<ModelData> LoadAsync(MLContext ml, ModelDataFiles files, int seed, CancellationToken cancellationToken);

    /// <summary>The ML.NET pipelines that compete for this model.</summary>
    IReadOnlyList<MlNetCandidate> Candidates { get; }
}
