namespace Serving.Server.Hosting;

/// <summary>
/// Whether the server should get traffic. Ready only once the model is warmed up, and never again once shutdown
/// begins, so a load balancer stops sending new requests while the in-flight ones finish.
/// </summary>
internal sealed class ServerReadiness
{
    private volatile bool _warm;
    private volatile bool _stopping;

    public bool IsReady => _warm && !_stopping;

    /// <summary>The model has been warmed up and can run requests (also while shutdown drains).</summary>
    public bool CanInfer => _warm;

    public void MarkWarm() => _warm = true;

    public void MarkStopping() => _stopping = true;
}
