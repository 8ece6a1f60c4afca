using System.Diagnostics;
using System.Threading.Channels;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Inference;

/// <summary>
/// Merges concurrent calls into one model run. Calls go into a channel; a single loop takes the oldest, gathers
/// more until the batch holds <c>maxRows</c> rows or the oldest has waited <c>maxDelay</c>, runs the model once and
/// hands each call its slice of the outputs. The channel is bounded by admission control, not by itself.
/// </summary>
internal sealed class DynamicBatcher : IInferenceExecutor, IAsyncDisposable, IDisposable
{
    private readonly ServedModel _model;
    private readonly InferenceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxRows;
    private readonly long _maxDelayTicks;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public DynamicBatcher(ServedModel model, int maxRows, int maxDelayMicroseconds, InferenceMetrics metrics, ILogger<DynamicBatcher> logger)
    {
        _model = model;
        _metrics = metrics;
        _logger = logger;
        _maxRows = maxRows;
        _maxDelayTicks = maxDelayMicroseconds * Stopwatch.Frequency / 1_000_000;
        _loop = Task.Run(LoopAsync);
    }

    public Task RunAsync(InferenceCall call, CancellationToken cancellationToken)
    {
        call.QueuedAt = Stopwatch.GetTimestamp();
        var pending = new Pending(call);
        if (!_queue.Writer.TryWrite(pending)) throw ServingException.Unavailable("The server is shutting down; send the request to another replica.");
        // Not cancelable: the loop may be using the call's buffers until it completes the task.
        return pending.Completion.Task;
    }

    /// <summary>Stops taking calls, runs the ones already queued, then ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        var timeout = new CancellationTokenSource();
        Pending? carried = null;
        while (carried is not null || await reader.WaitToReadAsync())
        {
            if (carried is null && !reader.TryRead(out carried)) continue;
            batch.Add(carried);
            var rows = carried.Call.Rows;
            var deadline = carried.Call.QueuedAt + _maxDelayTicks;
            carried = null;
            while (rows < _maxRows)
            {
                if (reader.TryRead(out var next))
                {
                    // A call that does not fit opens the next batch; waiting longer would not make room for it.
                    if (rows + next.Call.Rows > _maxRows)
                    {
                        carried = next;
                        break;
                    }

                    batch.Add(next);
                    rows += next.Call.Rows;
                    continue;
                }

                var remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0) break;
                (var arrived, timeout) = await WaitAsync(reader, remaining, timeout);
                if (!arrived) break;
            }

            Execute(batch, rows);
            batch.Clear();
        }

        timeout.Dispose();
    }

    /// <returns>Whether more calls arrived before the wait ran out, and the token source to use next time.</returns>
    private static async Task<(bool Arrived, CancellationTokenSource Timeout)> WaitAsync(
        ChannelReader<Pending> reader, long remainingTicks, CancellationTokenSource timeout)
    {
        // Timers tick in milliseconds: round up so a short delay waits a little rather than not at all.
        var milliseconds = Math.Max(1, (remainingTicks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(milliseconds));
        bool arrived;
        try
        {
            arrived = await reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            arrived = false;
        }

        if (timeout.TryReset()) return (arrived, timeout);
        timeout.Dispose();
        return (arrived, new CancellationTokenSource());
    }

    private void Execute(List<Pending> batch, int rows)
    {
        if (batch.Count == 1)
        {
            // Nothing to merge: run straight into the call's own buffers.
            var single = batch[0];
            try
            {
                single.Call.RunAlone(_metrics);
                single.Completion.TrySetResult();
            }
            catch (Exception e)
            {
                single.Completion.TrySetException(e);
            }

            return;
        }

        var inputs = new TensorBuffer[_model.Inputs.Count];
        var outputs = new OutputBinding[_model.Outputs.Count];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var spec = _model.Inputs[i];
                var rowSize = spec.RowElementCount;
                inputs[i] = TensorBuffer.Rent(spec.ElementType, rows * rowSize);
                var offset = 0;
                foreach (var pending in batch)
                {
                    var count = pending.Call.Rows * rowSize;
                    pending.Call.Inputs[i]!.CopyTo(0, inputs[i], offset, count);
                    offset += count;
                }
            }

            for (var o = 0; o < outputs.Length; o++)
            {
                var spec = _model.Outputs[o];
                outputs[o] = new OutputBinding(o, TensorBuffer.Rent(spec.ElementType, rows * spec.RowElementCount));
            }

            var started = Stopwatch.GetTimestamp();
            foreach (var pending in batch) pending.Call.MarkStarted(started, _metrics);
            _model.Run(rows, inputs, outputs);
            _metrics.Executed();
            var finished = Stopwatch.GetTimestamp();
            Scatter(batch, outputs, finished);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A merged model run of {Calls} requests ({Rows} rows) failed", batch.Count, rows);
            foreach (var pending in batch) pending.Completion.TrySetException(e);
        }
        finally
        {
            foreach (var input in inputs) input?.Dispose();
            foreach (var output in outputs) output.Buffer?.Dispose();
        }
    }

    private void Scatter(List<Pending> batch, OutputBinding[] outputs, long finished)
    {
        var firstRow = 0;
        foreach (var pending in batch)
        {
            var call = pending.Call;
            foreach (var binding in call.Outputs)
            {
                var rowSize = _model.Outputs[binding.OutputIndex].RowElementCount;
                outputs[binding.OutputIndex].Buffer.CopyTo(firstRow * rowSize, binding.Buffer, 0, call.Rows * rowSize);
            }

            firstRow += call.Rows;
            call.ComputeFinishedAt = finished;
            pending.Completion.TrySetResult();
        }
    }

    private sealed class Pending(InferenceCall call)
    {
        public InferenceCall Call { get; } = call;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
