using System.Text.Json;
using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.OnnxRuntime;
using Pipeline.Stages;
using TestSupport;
using Training.Data;
using Training.Export;
using Training.Models;
using Training.Persistence;

namespace Pipeline.Stages.Tests;

[Collection(PipelineRunCollection.Name)]
public sealed class TrainAndExportTests(PipelineRunFixture run)
{
    [Fact]
    public void Metrics_json_holds_test_metrics_per_class_confusion_matrix_and_learning_curve()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(run.Trained.MetricsPath));
        var test = json.RootElement.GetProperty("test");
        var accuracy = test.GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0.70, 1.0);
        Assert.Equal(run.Trained.Test.Accuracy, accuracy, 12);
        Assert.Equal(10, test.GetProperty("classes").GetArrayLength());
        var confusionTotal = test.GetProperty("confusionMatrix").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32());
        Assert.Equal(PipelineRunFixture.TestImages, confusionTotal);
        Assert.Equal(run.Trained.Training.Record.EpochsRun, json.RootElement.GetProperty("learningCurve").GetArrayLength());
        Assert.Equal(4, json.RootElement.GetProperty("inputs").GetArrayLength());
        Assert.All(json.RootElement.GetProperty("inputs").EnumerateArray(), i => Assert.Equal(64, i.GetProperty("sha256").GetString()!.Length));
    }

    [Fact]
    public async Task The_exported_model_passes_the_official_onnx_checker()
    {
        await OnnxChecker.AssertValidAsync(run.Exported.OnnxPath);
    }

    [Fact]
    public void The_exported_model_has_the_promised_signature_and_lineage()
    {
        using var session = new InferenceSession(run.Ort, run.Exported.OnnxPath);
        var input = Assert.Single(session.Inputs);
        Assert.Equal(("input", TensorElementType.Float), (input.Name, input.ElementType));
        Assert.Equal([-1L, 784L], input.Shape);
        Assert.Equal(["probabilities", "label"], session.Outputs.Select(o => o.Name));
        Assert.Equal([TensorElementType.Float, TensorElementType.Int64], session.Outputs.Select(o => o.ElementType));

        var metadata = session.ModelMetadata.CustomMetadata;
        Assert.Equal("fashion-mnist", metadata[OnnxMetadataKeys.ModelName]);
        Assert.Equal("0123456789abcdef", metadata[OnnxMetadataKeys.SourceRevision]);
        var hashes = JsonDocument.Parse(metadata[OnnxMetadataKeys.TrainingDataSha256]).RootElement;
        var trainImages = run.Trained.Training.Record.Inputs.Single(i => i.Path.EndsWith("train-images-idx3-ubyte", StringComparison.Ordinal));
        Assert.Equal(trainImages.Sha256, hashes.GetProperty("train-images-idx3-ubyte").GetString());
        Assert.Contains("Sneaker", metadata[OnnxMetadataKeys.ClassNames]);

        var model = OnnxModelFile.Read(run.Exported.OnnxPath);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, model.OpsetImport.Single(o => o.Domain == "").Version);
    }

    [Fact]
    public void Onnx_runtime_answers_like_the_trained_model_on_the_whole_test_set()
    {
        Assert.True(run.Exported.Parity.Passed, run.Exported.Parity.Describe());
        Assert.Equal(PipelineRunFixture.TestImages, run.Exported.Parity.Samples);
        Assert.InRange(run.Exported.Parity.MaxAbsoluteDifference, 0, 1e-5);
    }

    [Fact]
    public async Task The_parity_check_catches_a_model_that_answers_differently()
    {
        var saved = await ModelFile.LoadAsync(run.Trained.ModelPath);
        var data = await FashionMnist.LoadAsync(run.DataDirectory);
        var reference = saved.Model.PredictProbabilities(data.Test.Features);

        // One class's output bias off by 0.5: the kind of bug an exporter could introduce.
        var model = OnnxModelFile.Read(run.Exported.OnnxPath);
        var weight = model.Graph.Initializer.Last(t => t.Name.Contains("bias", StringComparison.Ordinal));
        var values = OnnxTensors.ToFloats(weight);
        values[0] += 0.5f;
        var tampered = OnnxTensors.FromFloats(weight.Name, values, [.. weight.Dims]);
        weight.RawData = tampered.RawData;

        using var session = new InferenceSession(run.Ort, model.ToByteArray());
        var parity = OnnxParityChecker.Check(session, data.Test.Features, saved.Model.InputSize, reference, saved.Model.ClassCount);

        Assert.False(parity.Passed);
        Assert.True(parity.MaxAbsoluteDifference > 1e-5, parity.Describe());
    }
}
