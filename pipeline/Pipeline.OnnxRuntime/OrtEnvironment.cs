using Pipeline.OnnxRuntime.Native;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// ORT's process-wide environment (logging and global state). Create ONE per process, before any session, and keep
/// it for the life of the process: ORT allows a single environment, and every session needs it. Sessions hold a
/// reference to it, so disposing it early only releases the native environment after the last session is gone.
/// </summary>
public sealed class OrtEnvironment : IDisposable
{
    private int _disposed;

    public OrtEnvironment(OnnxRuntimeLibrary library, OrtLoggingLevel logLevel = OrtLoggingLevel.Warning, string logId = "pipeline")
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(logId);
        Library = library;
        var api = library.Api;
        Handle = new OrtHandle(api.CreateEnv((int)logLevel, logId), api.ReleaseFunction(OrtSlot.ReleaseEnv));
    }

    public OnnxRuntimeLibrary Library { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal OrtHandle Handle { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Handle.Dispose();
        }
    }
}
