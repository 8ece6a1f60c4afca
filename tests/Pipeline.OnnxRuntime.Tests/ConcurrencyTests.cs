using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class ConcurrencyTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void Concurrent_runs_on_one_session_each_get_their_own_results()
    {
        using var session = new InferenceSession(ort.Environment, TestModels.Linear(), new SessionOptions { IntraOpThreads = 1 });
        const int threads = 8;
        const int runsPerThread = 500;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(thread => new Thread(() =>
        {
            start.SignalAndWait();
            for (var run = 0; run < runsPerThread; run++)
            {
                // Every run has its own batch size and values, so a mixed-up buffer cannot go unnoticed.
                var batch = 1 + (thread + run) % 7;
                var x = TestModels.RandomFloats(batch * TestModels.Features, seed: thread * 100_000 + run);
                var expected = TestModels.LinearExpected(x, batch);
                var outputs = session.Run([NamedTensor.Create("x", x, batch, TestModels.Features)]);
                var scores = outputs[0].Tensor.As<float>().ToArray();
                var labels = outputs[1].Tensor.As<long>().ToArray();
                if (!labels.SequenceEqual(expected.Labels)
                    || scores.Zip(expected.Scores).Any(pair => Math.Abs(pair.First - pair.Second) > 1e-4f))
                {
                    failures.Add($"thread {thread} run {run}: labels [{string.Join(",", labels)}], expected [{string.Join(",", expected.Labels)}]");
                }
            }
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Disposing_while_other_threads_run_never_crashes_and_later_runs_are_refused()
    {
        var session = new InferenceSession(ort.Environment, TestModels.Linear(), new SessionOptions { IntraOpThreads = 1 });
        var x = TestModels.RandomFloats(16 * TestModels.Features, seed: 1);
        var expected = TestModels.LinearExpected(x, 16).Labels;
        var completed = 0;
        var refused = 0;
        var wrong = 0;

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (true)
            {
                try
                {
                    var labels = session.Run([NamedTensor.Create("x", x, 16, TestModels.Features)], ["label"])[0].Tensor.As<long>();
                    if (!labels.ToArray().SequenceEqual(expected))
                    {
                        Interlocked.Increment(ref wrong);
                    }

                    Interlocked.Increment(ref completed);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        })).ToArray();
        SpinWait.SpinUntil(() => Volatile.Read(ref completed) > 200, TimeSpan.FromSeconds(10));
        session.Dispose();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4, refused);
        Assert.Equal(0, wrong);
        Assert.True(completed > 200);
    }
}
