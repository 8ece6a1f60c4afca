namespace Pipeline.OnnxRuntime.Tests.Support;

/// <summary>One ONNX backend node test from Debian's libonnx-testdata: model.onnx plus test_data_set_0.</summary>
public sealed record BackendTestCase(string Name, string ModelPath, IReadOnlyList<NamedTensor> Inputs, IReadOnlyList<NamedTensor> Outputs)
{
    public const string DataDirectory = "/usr/share/libonnx-testdata/data/node";

    public static BackendTestCase Load(string name)
    {
        var model = ModelPathOf(name);
        var data = Path.Combine(DataDirectory, name, "test_data_set_0");
        return new BackendTestCase(name, model, ReadAll(data, "input_"), ReadAll(data, "output_"));
    }

    public static string ModelPathOf(string name)
    {
        var model = Path.Combine(DataDirectory, name, "model.onnx");
        return File.Exists(model)
            ? model
            : throw new FileNotFoundException(
                $"ONNX backend test model '{model}' is missing. Install the ONNX test data: apt-get install libonnx-testdata", model);
    }

    private static NamedTensor[] ReadAll(string directory, string prefix) =>
        Directory.GetFiles(directory, prefix + "*.pb")
            .OrderBy(path => int.Parse(Path.GetFileNameWithoutExtension(path)[prefix.Length..]))
            .Select(TensorProtoReader.Read)
            .ToArray();
}
