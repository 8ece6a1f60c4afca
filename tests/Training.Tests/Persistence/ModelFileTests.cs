using System.Security.Cryptography;
using System.Text;
using Training.Data;
using Training.Models;
using Training.Persistence;
using Training.Tests.Support;

namespace Training.Tests.Persistence;

public sealed class ModelFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static MlpModel Model()
    {
        var w1 = SyntheticData.RandomMatrix(3 * 4, 1);
        var w2 = SyntheticData.RandomMatrix(4 * 2, 2);
        return new MlpModel(new FeatureNormalizer([1f, 2f, 3f], [0.5f, 0.25f, 1f]),
            [new DenseLayer(3, 4, w1, [0.1f, 0.2f, 0.3f, 0.4f], Activation.Relu), new DenseLayer(4, 2, w2, [-1f, 1f], Activation.None)],
            ["no", "yes"]);
    }

    private static TrainingRecord Record() => new(
        new TrainingOptions { HiddenLayers = [4], Seed = 9 }, "3-4-2", [new InputFileHash("/data/train.gz", 123, "00ff")],
        10, 2, 3, 2, StopReason.EarlyStopped, 0.25, 0.75, [new LearningCurvePoint(1, 1.5, 1.25, 0.5, 1e-3)]);

    [Fact]
    public async Task Saved_model_loads_back_with_identical_parameters_and_record()
    {
        var model = Model();
        var path = _dir.File("models/model.mlp");

        await ModelFile.SaveAsync(path, model, Record());
        var loaded = await ModelFile.LoadAsync(path);

        Assert.Equal(model.Normalizer.Mean, loaded.Model.Normalizer.Mean);
        Assert.Equal(model.Normalizer.InverseStd, loaded.Model.Normalizer.InverseStd);
        for (var l = 0; l < 2; l++)
        {
            Assert.Equal(model.Layers[l].Weights, loaded.Model.Layers[l].Weights);
            Assert.Equal(model.Layers[l].Bias, loaded.Model.Layers[l].Bias);
            Assert.Equal(model.Layers[l].Activation, loaded.Model.Layers[l].Activation);
        }
        Assert.Equal(model.ClassNames, loaded.Model.ClassNames);
        Assert.Equal(Record().Options.HiddenLayers, loaded.Record.Options.HiddenLayers);
        Assert.Equal(9UL, loaded.Record.Options.Seed);
        Assert.Equal(Record().Inputs, loaded.Record.Inputs);
        Assert.Equal(Record().LearningCurve, loaded.Record.LearningCurve);
        Assert.Equal(StopReason.EarlyStopped, loaded.Record.StopReason);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName)); // no temp file left
    }

    [Fact]
    public void Same_model_and_record_give_the_same_bytes() =>
        Assert.Equal(ModelFile.Serialize(Model(), Record()), ModelFile.Serialize(Model(), Record()));

    [Fact]
    public void Flipped_payload_byte_fails_the_checksum()
    {
        var bytes = ModelFile.Serialize(Model(), Record());
        bytes[^40] ^= 1;

        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Deserialize("m.mlp", bytes));
        Assert.Equal("m.mlp: checksum mismatch; the file is truncated or damaged (retrain or restore it).", error.Message);
    }

    [Fact]
    public void Truncated_file_is_rejected()
    {
        var bytes = ModelFile.Serialize(Model(), Record());
        Assert.Throws<ModelFormatException>(() => ModelFile.Deserialize("m.mlp", bytes[..^10]));
        Assert.Throws<ModelFormatException>(() => ModelFile.Deserialize("m.mlp", bytes[..20]));
    }

    [Fact]
    public void Other_files_and_versions_are_rejected_by_name()
    {
        var notModel = Assert.Throws<ModelFormatException>(() => ModelFile.Deserialize("x.onnx", Encoding.UTF8.GetBytes("this is not a model file at all, not even close")));
        Assert.StartsWith("x.onnx: not a model file", notModel.Message);

        var bytes = ModelFile.Serialize(Model(), Record());
        bytes[8] = 2;
        var newer = Assert.Throws<ModelFormatException>(() => ModelFile.Deserialize("m.mlp", bytes));
        Assert.Contains("model format version 2; this build reads version 1", newer.Message);
    }

    [Fact]
    public void Metadata_that_disagrees_with_the_parameters_is_rejected_even_with_a_valid_checksum()
    {
        var bytes = ModelFile.Serialize(Model(), Record());
        var at = bytes.AsSpan().IndexOf("\"outputSize\": 2"u8);
        Assert.True(at > 0);
        var patched = (byte[])bytes.Clone();
        patched[at + "\"outputSize\": ".Length] = (byte)'3';
        SHA256.HashData(patched.AsSpan(0, patched.Length - 32), patched.AsSpan(patched.Length - 32));

        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Deserialize("m.mlp", patched));
        Assert.Contains("the layer shapes need", error.Message);
    }

    [Fact]
    public async Task Missing_file_says_to_train_first()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => ModelFile.LoadAsync(_dir.File("absent.mlp")));
        Assert.Contains("train one first", error.Message);
    }
}
