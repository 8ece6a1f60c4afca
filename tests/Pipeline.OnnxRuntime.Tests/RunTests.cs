using Pipeline.OnnxRuntime.Tests.Support;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

namespace Pipeline.OnnxRuntime.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class RunTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void All_outputs_are_returned_in_model_order_when_none_are_named()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());
        var x = TestModels.RandomFloats(5 * TestModels.Features, seed: 7);

        var outputs = session.Run([NamedTensor.Create("x", x, 5, TestModels.Features)]);

        var (scores, labels) = TestModels.LinearExpected(x, 5);
        Assert.Equal(["scores", "label"], outputs.Select(o => o.Name));
        Assert.Equal([5L, TestModels.Classes], outputs[0].Tensor.Shape);
        TensorAssert.Close(scores.Select(v => (double)v), outputs[0].Tensor.As<float>().ToArray().Select(v => (double)v), "scores", rtol: 1e-5, atol: 1e-6);
        Assert.Equal(labels, outputs[1].Tensor.As<long>().ToArray());
    }

    [Fact]
    public void Only_the_requested_outputs_are_returned_in_the_requested_order()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());
        var x = TestModels.RandomFloats(2 * TestModels.Features, seed: 3);

        var outputs = session.Run([NamedTensor.Create("x", x, 2, TestModels.Features)], ["label"]);

        Assert.Equal("label", Assert.Single(outputs).Name);
        Assert.Equal(TestModels.LinearExpected(x, 2).Labels, outputs[0].Tensor.As<long>().ToArray());
    }

    [Fact]
    public void RunInto_writes_outputs_into_the_callers_buffers()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());
        var x = TestModels.RandomFloats(3 * TestModels.Features, seed: 11);
        var scores = new float[3 * TestModels.Classes];
        var labels = new long[3];
        Array.Fill(labels, -1);

        session.RunInto(
            [NamedTensor.Create("x", x, 3, TestModels.Features)],
            [NamedTensor.Create("label", labels, 3), NamedTensor.Create("scores", scores, 3, TestModels.Classes)]);

        var expected = TestModels.LinearExpected(x, 3);
        Assert.Equal(expected.Labels, labels);
        TensorAssert.Close(expected.Scores.Select(v => (double)v), scores.Select(v => (double)v), "scores", rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void RunInto_works_on_slices_of_a_larger_buffer()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());
        var pool = TestModels.RandomFloats(10 * TestModels.Features, seed: 5);
        var rows = pool.AsMemory(2 * TestModels.Features, 4 * TestModels.Features);
        var labels = new long[8];

        session.RunInto(
            [new NamedTensor("x", new DenseTensor<float>(rows, 4, TestModels.Features))],
            [new NamedTensor("label", new DenseTensor<long>(labels.AsMemory(2, 4), 4))]);

        Assert.Equal(TestModels.LinearExpected(rows.ToArray(), 4).Labels, labels[2..6]);
        Assert.Equal([0L, 0L], labels[..2]);
        Assert.Equal([0L, 0L], labels[6..]);
    }

    [Fact]
    public void RunInto_with_a_wrongly_shaped_output_buffer_reports_orts_error()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());

        var error = Assert.Throws<OnnxRuntimeException>(() => session.RunInto(
            [NamedTensor.Create("x", new float[2 * TestModels.Features], 2, TestModels.Features)],
            [NamedTensor.Create("label", new long[3], 3)]));

        Assert.Contains("label", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_empty_batch_gives_empty_outputs()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());

        var outputs = session.Run([NamedTensor.Create("x", Array.Empty<float>(), 0, TestModels.Features)]);

        Assert.Equal([0L, TestModels.Classes], outputs[0].Tensor.Shape);
        Assert.Empty(outputs[1].Tensor.As<long>().ToArray());
    }

    [Fact]
    public void Every_option_combination_runs_the_model_correctly()
    {
        var x = TestModels.RandomFloats(6 * TestModels.Features, seed: 9);
        var expected = TestModels.LinearExpected(x, 6).Labels;
        SessionOptions[] variants =
        [
            new() { IntraOpThreads = 1, InterOpThreads = 1, OptimizationLevel = GraphOptimizationLevel.Disabled },
            new() { IntraOpThreads = 2, OptimizationLevel = GraphOptimizationLevel.Basic, AllowSpinning = false },
            new() { ExecutionMode = ExecutionMode.Parallel, InterOpThreads = 2, OptimizationLevel = GraphOptimizationLevel.Extended },
            new() { LogSeverity = OrtLoggingLevel.Fatal, ConfigEntries = new Dictionary<string, string> { ["session.inter_op.allow_spinning"] = "0" } },
        ];

        foreach (var options in variants)
        {
            using var session = new InferenceSession(ort.Environment, TestModels.Linear(), options);
            var labels = session.Run([NamedTensor.Create("x", x, 6, TestModels.Features)], ["label"]).Single();
            Assert.Equal(expected, labels.Tensor.As<long>().ToArray());
        }
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_option_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new InferenceSession(ort.Environment, TestModels.Linear(), new SessionOptions { IntraOpThreads = -1 }));

        Assert.Equal("IntraOpThreads", error.ParamName);
    }

    [Fact]
    public void A_pre_canceled_token_stops_before_running()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());

        Assert.Throws<OperationCanceledException>(
            () => session.Run([NamedTensor.Create("x", new float[4], 1, 4)], cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Canceling_stops_a_long_run_early()
    {
        // 2000 MatMuls of 512x512 are ~540 GFLOP: several seconds even at this machine's peak, far longer than the
        // cancel delay (a full run of a 256x256 chain was measured at 0.8 s).
        const int n = 512;
        using var session = new InferenceSession(ort.Environment, TestModels.MatMulChain(n, 2000),
            new SessionOptions { OptimizationLevel = GraphOptimizationLevel.Basic });
        var x = TestModels.RandomFloats(n * n, seed: 2);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.ThrowsAny<OperationCanceledException>(
            () => session.Run([NamedTensor.Create("x", x, n, n)], cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"The run took {clock.Elapsed} to notice the cancellation.");
        Assert.IsType<OnnxRuntimeException>(error.InnerException);
        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Fact]
    public void A_cancelable_token_that_is_never_canceled_does_not_change_results()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear());
        using var cancel = new CancellationTokenSource();
        var x = TestModels.RandomFloats(4, seed: 4);

        var labels = session.Run([NamedTensor.Create("x", x, 1, 4)], ["label"], cancel.Token).Single().Tensor.As<long>().ToArray();

        Assert.Equal(TestModels.LinearExpected(x, 1).Labels, labels);
    }
}
