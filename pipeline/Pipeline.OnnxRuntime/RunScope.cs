using Ort = Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// The run options for one call: the session's shared ones when the token cannot be canceled, otherwise options of
/// the call's own that ORT is told to terminate when the token is canceled.
/// </summary>
internal readonly struct RunScope : IDisposable
{
    private readonly Ort.RunOptions? _owned;
    private readonly CancellationTokenRegistration _registration;

    private RunScope(Ort.RunOptions options, Ort.RunOptions? owned, CancellationTokenRegistration registration)
    {
        Options = options;
        _owned = owned;
        _registration = registration;
    }

    public Ort.RunOptions Options { get; }

    public static RunScope Start(Ort.RunOptions shared, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return new RunScope(shared, null, default);
        }

        var owned = new Ort.RunOptions();
        var registration = cancellationToken.Register(static options => ((Ort.RunOptions)options!).Terminate = true, owned);
        return new RunScope(owned, owned, registration);
    }

    /// <summary>What a run ORT terminated for the token is reported as.</summary>
    public static OperationCanceledException Canceled(Ort.OnnxRuntimeException error, CancellationToken cancellationToken) =>
        new("The ONNX Runtime run was canceled.", error, cancellationToken);

    public void Dispose()
    {
        // Unregister first, so a late cancellation never touches options already released.
        _registration.Dispose();
        _owned?.Dispose();
    }
}
