using System.Diagnostics;
using Serving.Server.Metrics;

namespace Serving.Server.Inference;

/// <summary>
/// Runs each call on the request's own thread, at most <c>maxConcurrent</c> at once. Admission control bounds how
/// many can wait here, so the semaphore's queue stays short.
/// </summary>
internal sealed class DirectExecutor(int maxConcurrent, InferenceMetrics metrics) : IInferenceExecutor, IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);

    public async Task RunAsync(InferenceCall call, CancellationToken cancellationToken)
    {
        call.QueuedAt = Stopwatch.GetTimestamp();
        await _slots.WaitAsync(cancellationToken);
        try
        {
            // A model run takes tens of microseconds: handing it to another thread would cost more than it saves.
            call.RunAlone(metrics);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
