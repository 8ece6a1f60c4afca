namespace Serving.Server.Inference;

/// <summary>
/// Bounds the inference requests the server holds at once (running, waiting, or still uploading their body).
/// A request over the bound is refused at once, before its body is read: under overload the cheapest answer is
/// an immediate 503, and memory for bodies stays bounded by limit × max body size.
/// </summary>
internal sealed class AdmissionControl(int limit)
{
    private int _inFlight;

    public int Limit { get; } = limit;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= Limit) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
