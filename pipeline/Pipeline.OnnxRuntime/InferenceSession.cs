using Ort = Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// A loaded model: ORT's <see cref="Ort.InferenceSession"/> with the project's named-tensor calls and metadata.
/// <c>Run</c> and <c>RunInto</c> may be called from many threads at once (ORT allows it; each call brings its own
/// values). Disposing while runs are in flight is safe: ORT's session is released when the last of them returns, and
/// later calls throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed partial class InferenceSession : IDisposable
{
    private readonly Ort.InferenceSession _session;

    // Shared by every call that cannot be canceled; ORT only reads run options during a run.
    private readonly Ort.RunOptions _runOptions = new();
    private readonly string[] _outputNames;

    // One reference for the owner plus one per call in flight; ORT's session goes when it reaches zero.
    private int _references = 1;
    private int _disposed;

    /// <summary>Opens an ONNX model file. ORT's error names the path when the file is missing or invalid.</summary>
    public InferenceSession(OrtEnvironment environment, string modelPath, SessionOptions? options = null)
        : this(environment, options, ortOptions => new Ort.InferenceSession(FullPath(modelPath), ortOptions))
    {
    }

    /// <summary>Opens an ONNX model held in memory (ORT copies what it needs; the bytes can be dropped after).</summary>
    public InferenceSession(OrtEnvironment environment, ReadOnlyMemory<byte> model, SessionOptions? options = null)
        : this(environment, options, ortOptions => new Ort.InferenceSession(model.ToArray(), ortOptions))
    {
    }

    private InferenceSession(OrtEnvironment environment, SessionOptions? options, Func<Ort.SessionOptions, Ort.InferenceSession> open)
    {
        ArgumentNullException.ThrowIfNull(environment);
        using (var ortOptions = (options ?? SessionOptions.Default).ToOrt())
        {
            try
            {
                _session = open(ortOptions);
            }
            catch
            {
                _runOptions.Dispose();
                throw;
            }
        }

        Inputs = SessionMetadata.Nodes(_session.InputNames, _session.InputMetadata);
        Outputs = SessionMetadata.Nodes(_session.OutputNames, _session.OutputMetadata);
        ModelMetadata = SessionMetadata.Model(_session.ModelMetadata);
        _outputNames = Outputs.Select(output => output.Name).ToArray();
    }

    public IReadOnlyList<NodeMetadata> Inputs { get; }

    public IReadOnlyList<NodeMetadata> Outputs { get; }

    public ModelMetadata ModelMetadata { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }
    }

    private static string FullPath(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        // An absolute path makes ORT's error messages say exactly which file it tried.
        return Path.GetFullPath(modelPath);
    }

    /// <summary>Keeps ORT's session alive for one call, even if another thread disposes meanwhile.</summary>
    private void AddRef()
    {
        var current = Volatile.Read(ref _references);
        while (true)
        {
            ObjectDisposedException.ThrowIf(current == 0 || Volatile.Read(ref _disposed) != 0, this);
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _session.Dispose();
            _runOptions.Dispose();
        }
    }
}
