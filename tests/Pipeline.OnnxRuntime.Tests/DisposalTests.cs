using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class DisposalTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void Disposing_a_session_twice_is_safe()
    {
        var session = new InferenceSession(ort.Environment, TestModels.Linear());

        session.Dispose();
        session.Dispose();
    }

    [Fact]
    public void A_disposed_session_refuses_to_run()
    {
        var session = new InferenceSession(ort.Environment, TestModels.Linear());
        session.Dispose();

        var input = NamedTensor.Create("x", new float[4], 1, 4);
        Assert.Throws<ObjectDisposedException>(() => session.Run([input]));
        Assert.Throws<ObjectDisposedException>(() => session.RunInto([input], [NamedTensor.Create("label", new long[1], 1)]));
    }

    [Fact]
    public void Metadata_stays_readable_after_disposal()
    {
        var session = new InferenceSession(ort.Environment, TestModels.Linear());
        session.Dispose();

        Assert.Equal("x", session.Inputs.Single().Name);
        Assert.Equal("linear", session.ModelMetadata.GraphName);
    }
}
