using Pipeline.OnnxRuntime;
using TestSupport;

namespace Serving.Server.Tests.Support;

/// <summary>
/// What every server test shares: a handle to ORT's process-wide environment and the test model written once.
/// </summary>
public sealed class ServingFixture : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public ServingFixture()
    {
        Environment = new OrtEnvironment();
        ModelPath = TestModels.WriteClassifier(_directory.File("classifier.onnx"), version: "7");
        Reference = new ReferenceModel(Environment, ModelPath);
    }

    public OrtEnvironment Environment { get; }

    /// <summary>Fashion-MNIST (raw 0–255 pixels), loaded once for the tests that need real images.</summary>
    public Lazy<Task<Training.Data.FashionMnistData>> FashionMnist { get; } = new(() => Training.Data.FashionMnist.LoadAsync(
        Training.Data.FashionMnist.ResolveDirectory(System.Environment.GetEnvironmentVariable(Training.Data.FashionMnist.DirectoryEnvironmentVariable))));

    /// <summary>A 784 → 10 linear classifier with metadata model_version "7".</summary>
    public string ModelPath { get; }

    /// <summary>The same model run directly on ONNX Runtime, for expected outputs.</summary>
    public ReferenceModel Reference { get; }

    public string TempFile(string name) => _directory.File(name);

    public void Dispose()
    {
        Reference.Dispose();
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ServingCollection : ICollectionFixture<ServingFixture>
{
    // One collection: the servers share the process-wide ORT environment, and running one at a time keeps the
    // 2-core machine's timing out of the results.
    public const string Name = "Serving server";
}
