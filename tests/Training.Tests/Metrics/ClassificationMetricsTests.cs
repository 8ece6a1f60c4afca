using System.Text.Json;
using Training.Data;
using Training.Metrics;
using Training.Models;
using Training.Serialization;
using Training.Tests.Support;

namespace Training.Tests.Metrics;

public sealed class ClassificationMetricsTests
{
    private static readonly string[] Names = ["a", "b", "c"];
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 2];
    private static readonly int[] Predictions = [0, 1, 0, 1, 1, 1];

    [Fact]
    public void Hand_made_confusion_case()
    {
        var report = ClassificationMetrics.FromPredictions(Names, Labels, Predictions);

        Assert.Equal(6, report.SampleCount);
        Assert.Equal(4.0 / 6, report.Accuracy, 12);
        Assert.Equal([[2, 1, 0], [0, 2, 0], [0, 1, 0]], report.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        var (a, b, c) = (report.Classes[0], report.Classes[1], report.Classes[2]);
        Assert.Equal(1.0, a.Precision);
        Assert.Equal(2.0 / 3, a.Recall, 12);
        Assert.Equal(0.8, a.F1, 12);
        Assert.Equal((0.5, 1.0), (b.Precision, b.Recall));
        Assert.Equal(2.0 / 3, b.F1, 12);
        Assert.Equal((1, 0, 0.0, 0.0, 0.0), (c.Support, c.Predicted, c.Precision, c.Recall, c.F1)); // never predicted: 0, not NaN
        Assert.Equal((0.8 + 2.0 / 3) / 3, report.MacroF1, 12);
        Assert.Equal((0.8 * 3 + 2.0 / 3 * 2) / 6, report.WeightedF1, 12);
        Assert.Equal((1 + 0.5 + 0) / 3.0, report.MacroPrecision, 12);
    }

    [Fact]
    public void Log_loss_is_clipped_and_predictions_come_from_probabilities()
    {
        float[] probabilities =
        [
            0.7f, 0.2f, 0.1f,
            0.0f, 1.0f, 0.0f,   // true class 0 has probability 0: clipped to 1e-7
        ];

        var report = ClassificationMetrics.Evaluate(Names, [0, 0], probabilities);

        Assert.Equal((-Math.Log(0.7f) - Math.Log(1e-7)) / 2, report.LogLoss, 6);
        Assert.Equal(0.5, report.Accuracy);
        Assert.Equal([[1, 1, 0], [0, 0, 0], [0, 0, 0]], report.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
    }

    [Fact]
    public async Task Metrics_document_serializes_in_the_documented_shape_and_reads_back()
    {
        var report = ClassificationMetrics.FromPredictions(Names, Labels, Predictions, logLoss: 0.5);
        var record = new TrainingRecord(new TrainingOptions(), "2-3", [new InputFileHash("/x", 1, "ab")], 6, 2, 3, 2, StopReason.EarlyStopped, 0.4, 0.9, []);
        var epochs = new[] { new EpochReport(1, 3, 1.0, 0.5, 0.8, 1e-3, true, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2)) };
        var model = new MlpModel(new FeatureNormalizer([0, 0], [1, 1]), [new DenseLayer(2, 3, new float[6], new float[3], Activation.None)], Names);
        var document = TrainingMetricsDocument.Create(new TrainingResult(model, record, epochs, TimeSpan.FromSeconds(7)), report, report, record.Inputs);
        using var dir = new TempDirectory();
        var path = dir.File("train/metrics.json");

        await TrainingJson.WriteMetricsAsync(path, document);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("EarlyStopped", root.GetProperty("training").GetProperty("stopReason").GetString());
        Assert.Equal(7, root.GetProperty("training").GetProperty("trainingSeconds").GetDouble());
        Assert.Equal(4.0 / 6, root.GetProperty("test").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(0.5, root.GetProperty("test").GetProperty("classes")[1].GetProperty("precision").GetDouble());
        Assert.Equal(2, root.GetProperty("test").GetProperty("confusionMatrix")[0][0].GetInt32());
        Assert.Equal(1.5, root.GetProperty("learningCurve")[0].GetProperty("epochSeconds").GetDouble());
        Assert.Equal("ab", root.GetProperty("inputs")[0].GetProperty("sha256").GetString());

        var read = await TrainingJson.ReadMetricsAsync(path);
        Assert.Equal(document.Test.Accuracy, read.Test.Accuracy);
        Assert.Equal(document.Training, read.Training);
        Assert.Equal(document.LearningCurve, read.LearningCurve);
    }

    [Fact]
    public async Task Unsupported_metrics_schema_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("metrics.json");
        await File.WriteAllTextAsync(path, """{ "schemaVersion": 99 }""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TrainingJson.ReadMetricsAsync(path));
        Assert.Contains("schema version 99", error.Message);
    }
}
