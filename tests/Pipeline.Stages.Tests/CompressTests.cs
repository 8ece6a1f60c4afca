using System.Security.Cryptography;
using Pipeline.Onnx;
using Pipeline.OnnxRuntime;
using Pipeline.Stages;
using TestSupport;
using Training;
using Training.Compression;
using Training.Export;
using Training.Persistence;

namespace Pipeline.Stages.Tests;

/// <summary>The Prune and Distill stages on the fixture's trained model (784-64-10, trained on a slice of the real data).</summary>
[Collection(PipelineRunCollection.Name)]
public sealed class CompressTests(PipelineRunFixture run)
{
    private static readonly ExecutionOptions TwoThreads = new() { DegreeOfParallelism = 2 };

    private PruneStageRequest PruneRequest(string onnxPath, PruningOptions pruning) =>
        new(run.Trained.ModelPath, run.DataDirectory, onnxPath, "fashion-mnist", "1.0.0+test", "0123456789abcdef", DateTimeOffset.UnixEpoch, TwoThreads, pruning);

    [Fact]
    public async Task Prune_writes_a_sparse_onnx_candidate_that_passes_the_checker_and_answers_like_the_pruned_model()
    {
        var onnxPath = run.Directory.File("pruned/" + PruneStage.OnnxFileName);
        var log = new List<string>();

        var result = await new PruneStage(run.Ort, log.Add).RunAsync(PruneRequest(onnxPath, new PruningOptions { TargetSparsity = 0.7, FineTuneEpochs = 1 }), CancellationToken.None);

        await OnnxChecker.AssertValidAsync(onnxPath);
        Assert.True(result.Files.Parity.Passed, result.Files.Parity.Describe());
        Assert.Equal(PipelineRunFixture.TestImages, result.Files.Parity.Samples);
        // Sparsity measured in the shipped file itself, not taken from the stage's own report.
        var onnx = OnnxModelFile.Read(onnxPath);
        var weights = onnx.Graph.Initializer.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)).Select(OnnxTensors.ToFloats).ToArray();
        Assert.Equal(2, weights.Length);
        var sparsity = (double)weights.Sum(w => w.Count(v => v == 0f)) / weights.Sum(w => w.Length);
        Assert.True(sparsity >= 0.7 - 0.001, $"{sparsity:P3} of the exported weights are zero");
        Assert.Equal(result.Sparsity.Sparsity, sparsity, 12);
        Assert.InRange(result.Files.Test.Accuracy, run.Trained.Test.Accuracy - 0.05, 1.0);
        Assert.Equal(result.Files.OnnxBytes, new FileInfo(onnxPath).Length);
        Assert.True(result.Files.OnnxGzipBytes < 0.8 * result.Files.OnnxBytes, $"{result.Files.OnnxGzipBytes:N0} of {result.Files.OnnxBytes:N0} bytes gzipped");

        var saved = await ModelFile.LoadAsync(result.Files.ModelPath);
        Assert.Equal(run.Directory.File("pruned/model.pruned.mlp"), result.Files.ModelPath);
        Assert.Equal(weights[0], saved.Model.Layers[0].Weights);
        using var session = new InferenceSession(run.Ort, onnxPath);
        var metadata = session.ModelMetadata.CustomMetadata;
        Assert.Contains("\"compression\":\"magnitude-pruning\"", metadata[OnnxMetadataKeys.Parameters].Replace(" ", ""));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(run.Trained.ModelPath))), metadata[OnnxMetadataKeys.Parameters]);
        Assert.Contains("model.pruned.onnx", result.Markdown);
    }

    [Fact]
    public async Task Distill_writes_a_smaller_student_that_passes_the_checker_and_answers_like_itself()
    {
        var onnxPath = run.Directory.File("distilled/" + DistillStage.OnnxFileName);
        var request = new DistillStageRequest(run.Trained.ModelPath, run.DataDirectory, onnxPath, "fashion-mnist", "1.0.0+test", "0123456789abcdef",
            DateTimeOffset.UnixEpoch, TwoThreads, new DistillationOptions { StudentHiddenLayers = [16], Epochs = 3 });

        var result = await new DistillStage(run.Ort, _ => { }).RunAsync(request, CancellationToken.None);

        await OnnxChecker.AssertValidAsync(onnxPath);
        Assert.True(result.Files.Parity.Passed, result.Files.Parity.Describe());
        Assert.Equal(("784-64-10", "784-16-10"), (result.TeacherArchitecture, result.StudentArchitecture));
        Assert.Equal(784 * 16 + 16 + 16 * 10 + 10, result.StudentParameters);
        Assert.True(result.Files.OnnxBytes < run.Exported.Bytes / 2, $"student {result.Files.OnnxBytes:N0} bytes, teacher {run.Exported.Bytes:N0}");
        var student = await ModelFile.LoadAsync(result.Files.ModelPath);
        Assert.Equal([784 * 16, 16 * 10], student.Model.Layers.Select(l => l.Weights.Length));
        Assert.InRange(result.Files.Test.Accuracy, 0.65, 1.0);
        using var session = new InferenceSession(run.Ort, onnxPath);
        Assert.Contains("784-64-10", session.ModelMetadata.CustomMetadata[OnnxMetadataKeys.Parameters]);
    }

    [Fact]
    public async Task Invalid_options_or_a_model_trained_on_other_data_fail_before_anything_is_written()
    {
        var onnxPath = run.Directory.File("rejected/" + PruneStage.OnnxFileName);
        var stage = new PruneStage(run.Ort, _ => { });

        var options = await Assert.ThrowsAsync<ArgumentException>(() =>
            stage.RunAsync(PruneRequest(onnxPath, new PruningOptions { TargetSparsity = 1.0 }), CancellationToken.None));
        Assert.Contains("PruningOptions.TargetSparsity must be in [0, 1)", options.Message);

        // The fixture's slice is the first 6,000 training images: the full set is other data with another split.
        var otherData = await Assert.ThrowsAsync<InvalidOperationException>(() => stage.RunAsync(
            PruneRequest(onnxPath, new PruningOptions()) with { DatasetDirectory = Training.Data.FashionMnist.ResolveDirectory(null) }, CancellationToken.None));
        Assert.Contains("retrain (./build.sh Train)", otherData.Message);
        Assert.False(Directory.Exists(Path.GetDirectoryName(onnxPath)));
    }
}
