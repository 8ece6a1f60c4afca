using Pipeline.OnnxRuntime;

namespace Serving.Server.Tests.Support;

/// <summary>The test model run straight on ONNX Runtime: what the server's answers are compared with.</summary>
public sealed class ReferenceModel(OrtEnvironment environment, string modelPath) : IDisposable
{
    private readonly InferenceSession _session = new(environment, modelPath, new SessionOptions { IntraOpThreads = 1 });

    public (float[] Probabilities, long[] Labels) Run(float[] pixels)
    {
        var rows = pixels.Length / TestModels.Features;
        var outputs = _session.Run([NamedTensor.Create("input", pixels, rows, TestModels.Features)]);
        return (outputs[0].Tensor.As<float>().ToArray(), outputs[1].Tensor.As<long>().ToArray());
    }

    public void Dispose() => _session.Dispose();
}
