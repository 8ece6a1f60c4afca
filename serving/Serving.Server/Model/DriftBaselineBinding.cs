using Pipeline.Drift;
using Pipeline.OnnxRuntime;
using Serving.Server.Configuration;
using Serving.Server.Hosting;

namespace Serving.Server.Model;

/// <summary>
/// Finds the drift baseline (--drift-baseline, else drift-baseline.json beside the model), reads it and checks it
/// fits the served model: every quantity's input exists and is numeric, and the class labels are the model's class_names.
/// </summary>
internal static class DriftBaselineBinding
{
    public const string Setting = "--drift-baseline / SERVING_DRIFT_BASELINE";

    /// <returns>The baseline, or null when none was given and none lies beside the model.</returns>
    /// <exception cref="ServerStartupException">The file is missing (when given), malformed, or does not fit the model.</exception>
    public static (DriftBaseline Baseline, string Path)? Load(ServerOptions options, ServedModel model)
    {
        var path = options.DriftBaselinePath;
        if (path is null)
        {
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.ModelPath))!, DriftBaseline.FileName);
            if (!File.Exists(beside)) return null;
            path = beside;
        }

        path = Path.GetFullPath(path);
        DriftBaseline baseline;
        try
        {
            baseline = DriftBaselineFile.Read(path);
        }
        catch (DriftBaselineException e)
        {
            throw new ServerStartupException($"{e.Message} (set by {Setting}, default {DriftBaseline.FileName} beside the model)", e);
        }

        var problems = Problems(baseline, model);
        if (problems.Count > 0)
        {
            throw new ServerStartupException(
                $"Drift baseline '{path}' does not fit model '{model.Name}' ('{options.ModelPath}'):\n  - {string.Join("\n  - ", problems)}\n" +
                $"Give the baseline Validate recorded for this model version ({Setting}).");
        }

        return (baseline, path);
    }

    private static List<string> Problems(DriftBaseline baseline, ServedModel model)
    {
        var problems = new List<string>();
        foreach (var q in baseline.Quantities)
        {
            if (q.Kind == DriftQuantityKind.InputMean)
            {
                var index = model.FindInput(q.Input!);
                if (index < 0)
                    problems.Add($"quantity '{q.Name}' names input '{q.Input}', which the model does not have (inputs: {model.InputNames}).");
                else if (model.Inputs[index].ElementType is not (TensorElementType.Float or TensorElementType.Double or TensorElementType.Int32 or TensorElementType.Int64))
                    problems.Add($"quantity '{q.Name}' names input '{q.Input}', which is {model.Inputs[index].Datatype}; only numeric inputs have a mean.");
            }
            else if (!q.Labels.SequenceEqual(model.ClassNames, StringComparer.Ordinal))
            {
                problems.Add($"quantity '{q.Name}' has labels [{string.Join(", ", q.Labels)}], but the model's class_names are [{string.Join(", ", model.ClassNames)}].");
            }
            else if (PredictedClasses.Create(model) is null)
            {
                problems.Add($"quantity '{q.Name}' needs a '{PredictedClasses.LabelOutput}' or '{PredictedClasses.ProbabilitiesOutput}' output, which the model does not have (outputs: {model.OutputNames}).");
            }
        }

        return problems;
    }
}
