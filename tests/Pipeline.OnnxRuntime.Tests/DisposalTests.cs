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

    [Fact]
    public void Sessions_outlive_an_environment_disposed_before_them_and_new_ones_are_refused()
    {
        var environment = new OrtEnvironment(ort.Library, OrtLoggingLevel.Error, "disposal-test");
        using var session = new InferenceSession(environment, TestModels.Linear());

        environment.Dispose();
        environment.Dispose();

        Assert.True(environment.IsDisposed);
        var x = TestModels.RandomFloats(4, seed: 8);
        var labels = session.Run([NamedTensor.Create("x", x, 1, 4)], ["label"]).Single().Tensor.As<long>().ToArray();
        Assert.Equal(TestModels.LinearExpected(x, 1).Labels, labels);
        var error = Assert.Throws<ObjectDisposedException>(() => new InferenceSession(environment, TestModels.Linear()));
        Assert.Contains(nameof(OrtEnvironment), error.Message);
    }
}
