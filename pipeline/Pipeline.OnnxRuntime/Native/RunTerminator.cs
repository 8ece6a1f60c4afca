namespace Pipeline.OnnxRuntime.Native;

/// <summary>
/// Turns a cancellation token into ORT's terminate flag. Without a cancelable token it costs nothing: no run
/// options are created and ORT runs with its defaults.
/// </summary>
internal readonly struct RunTerminator : IDisposable
{
    private readonly OrtApi? _api;
    private readonly CancellationTokenRegistration _registration;

    private RunTerminator(OrtApi api, nint runOptions, CancellationTokenRegistration registration)
    {
        _api = api;
        RunOptions = runOptions;
        _registration = registration;
    }

    public nint RunOptions { get; }

    public static RunTerminator Create(OrtApi api, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return default;
        }

        var runOptions = api.CreateRunOptions();
        var registration = cancellationToken.Register(() => api.RunOptionsSetTerminate(runOptions));
        return new RunTerminator(api, runOptions, registration);
    }

    /// <summary>
    /// Unregisters first: <see cref="CancellationTokenRegistration.Dispose"/> waits for a callback already running,
    /// so the run options are never touched after they are released.
    /// </summary>
    public void Dispose()
    {
        _registration.Dispose();
        _api?.Release(OrtSlot.ReleaseRunOptions, RunOptions);
    }
}
