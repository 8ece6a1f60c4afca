using Pipeline.OnnxRuntime.Native;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// A loaded model. <c>Run</c> and <c>RunInto</c> may be called from many threads at once (ORT allows it; each call
/// brings its own values). Disposing while runs are in flight is safe: the native session is released when the
/// last of them returns, and later calls throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed partial class InferenceSession : IDisposable
{
    private readonly OrtApi _api;
    private readonly OrtHandle _session;
    private readonly OrtHandle _memoryInfo;
    private readonly NativeNameTable _names;
    private readonly string[] _outputNames;
    private int _disposed;

    /// <summary>Opens an ONNX model file. ORT's error names the path when the file is missing or invalid.</summary>
    public InferenceSession(OrtEnvironment environment, string modelPath, SessionOptions? options = null)
        : this(environment, options, OpenFile(modelPath))
    {
    }

    /// <summary>Opens an ONNX model held in memory (ORT copies what it needs; the bytes can be dropped after).</summary>
    public InferenceSession(OrtEnvironment environment, ReadOnlyMemory<byte> model, SessionOptions? options = null)
        : this(environment, options, (api, env, nativeOptions) => api.CreateSessionFromArray(env, model.Span, nativeOptions))
    {
    }

    private InferenceSession(OrtEnvironment environment, SessionOptions? options, Func<OrtApi, nint, nint, nint> create)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _api = environment.Library.Api;
        _session = Open(environment, options ?? SessionOptions.Default, create);
        try
        {
            _memoryInfo = new OrtHandle(_api.CreateCpuMemoryInfo(), _api.ReleaseFunction(OrtSlot.ReleaseMemoryInfo));
            var session = _session.DangerousGetHandle();
            Inputs = Array.AsReadOnly(SessionMetadataReader.ReadNodes(_api, session, inputs: true));
            Outputs = Array.AsReadOnly(SessionMetadataReader.ReadNodes(_api, session, inputs: false));
            ModelMetadata = SessionMetadataReader.ReadModel(_api, session);
            _outputNames = Outputs.Select(output => output.Name).ToArray();
            _names = new NativeNameTable(Inputs.Select(input => input.Name).Concat(_outputNames));
        }
        catch
        {
            _memoryInfo?.Dispose();
            _session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<NodeMetadata> Inputs { get; }

    public IReadOnlyList<NodeMetadata> Outputs { get; }

    public ModelMetadata ModelMetadata { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
            _memoryInfo.Dispose();
        }
    }

    private static Func<OrtApi, nint, nint, nint> OpenFile(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        // An absolute path makes ORT's error messages say exactly which file it tried.
        var fullPath = Path.GetFullPath(modelPath);
        return (api, env, nativeOptions) => api.CreateSession(env, fullPath, nativeOptions);
    }

    private static OrtHandle Open(OrtEnvironment environment, SessionOptions options, Func<OrtApi, nint, nint, nint> create)
    {
        var api = environment.Library.Api;
        var env = environment.Handle;
        // A session the caller already holds keeps the native environment alive, so the flag is what says
        // "disposed"; the add-ref below then guarantees it stays alive for this session too.
        if (environment.IsDisposed)
        {
            throw new ObjectDisposedException(nameof(OrtEnvironment),
                $"The {nameof(OrtEnvironment)} was disposed; keep one environment for the life of the process.");
        }

        var added = false;
        env.DangerousAddRef(ref added);
        try
        {
            using var nativeOptions = options.CreateNative(api);
            var session = create(api, env.DangerousGetHandle(), nativeOptions.DangerousGetHandle());
            // From here the session handle owns the environment reference taken above.
            return new OrtHandle(session, api.ReleaseFunction(OrtSlot.ReleaseSession), keptAlive: env);
        }
        catch
        {
            env.DangerousRelease();
            throw;
        }
    }
}
