using Microsoft.ML;

namespace Training.MlNet;

/// <summary>Test metrics from ML.NET's own evaluators, under the names the registry and gates use.</summary>
public static class CandidateMetrics
{
    public const string Accuracy = "accuracy";
    public const string LogLoss = "log_loss";
    public const string MacroAccuracy = "macro_accuracy";
    public const string Auc = "auc";
    public const string F1 = "f1";
    public const string Rmse = "rmse";
    public const string RSquared = "r_squared";

    /// <summary>Scores <paramref name="test"/> with <paramref name="model"/> and evaluates it for the definition's task.</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(MLContext ml, IModelDefinition definition, ITransformer model, IDataView test)
    {
        var scored = model.Transform(test);
        return definition.Task switch
        {
            ModelTask.MulticlassClassification => Multiclass(ml.MulticlassClassification.Evaluate(scored, labelColumnName: MlNetCandidate.KeyLabelColumn)),
            ModelTask.BinaryClassification => Binary(ml.BinaryClassification.Evaluate(scored, labelColumnName: MlNetCandidate.KeyLabelColumn)),
            ModelTask.Regression => Regression(ml.Regression.Evaluate(scored, labelColumnName: definition.LabelColumn)),
            _ => throw new ArgumentOutOfRangeException(nameof(definition), definition.Task, "Unknown model task; add its metrics here."),
        };
    }

    private static Dictionary<string, double> Multiclass(Microsoft.ML.Data.MulticlassClassificationMetrics m) => new()
    {
        [Accuracy] = m.MicroAccuracy,
        [LogLoss] = m.LogLoss,
        [MacroAccuracy] = m.MacroAccuracy,
    };

    private static Dictionary<string, double> Binary(Microsoft.ML.Data.CalibratedBinaryClassificationMetrics m) => new()
    {
        [Auc] = m.AreaUnderRocCurve,
        [F1] = m.F1Score,
        [Accuracy] = m.Accuracy,
    };

    private static Dictionary<string, double> Regression(Microsoft.ML.Data.RegressionMetrics m) => new()
    {
        [Rmse] = m.RootMeanSquaredError,
        [RSquared] = m.RSquared,
    };
}
