namespace Serving.Server.Hosting;

/// <summary>Holds the error that stopped the server after it began listening, so the process can exit non-zero.</summary>
internal sealed class StartupFailure
{
    private volatile Exception? _exception;

    public Exception? Exception => _exception;

    public void Record(Exception exception) => _exception = exception;
}
