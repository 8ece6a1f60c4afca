using Ort = Microsoft.ML.OnnxRuntime;

namespace Pipeline.OnnxRuntime;

/// <summary>How a session runs: the project's presets (thread counts, spinning) turned into ORT's session options.</summary>
public sealed record SessionOptions
{
    public const string AllowSpinningKey = "session.intra_op.allow_spinning";

    public static SessionOptions Default { get; } = new();

    /// <summary>Threads inside one operator (e.g. a MatMul). 0 lets ORT pick one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads running independent branches when <see cref="ExecutionMode"/> is Parallel. 0 lets ORT pick.</summary>
    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    /// <summary>
    /// Whether idle intra-op threads busy-wait for work. Spinning cuts latency but burns CPU between requests;
    /// turn it off when the process shares its cores (several models, or a web server doing other work).
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>The session's own log threshold; null keeps the environment's.</summary>
    public OrtLoggingLevel? LogSeverity { get; init; }

    /// <summary>Further ORT session config entries (key → value), applied after the settings above.</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>ORT's options for these settings; the caller disposes them once the session is created.</summary>
    public Ort.SessionOptions ToOrt()
    {
        if (IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must be 0 (ORT picks) or a positive thread count.");
        }

        if (InterOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InterOpThreads), InterOpThreads, "InterOpThreads must be 0 (ORT picks) or a positive thread count.");
        }

        var options = new Ort.SessionOptions();
        try
        {
            options.IntraOpNumThreads = IntraOpThreads;
            options.InterOpNumThreads = InterOpThreads;
            options.GraphOptimizationLevel = (Ort.GraphOptimizationLevel)OptimizationLevel;
            options.ExecutionMode = (Ort.ExecutionMode)ExecutionMode;
            if (LogSeverity is { } severity)
            {
                options.LogSeverityLevel = (Ort.OrtLoggingLevel)severity;
            }

            options.AddSessionConfigEntry(AllowSpinningKey, AllowSpinning ? "1" : "0");
            foreach (var (key, value) in ConfigEntries)
            {
                options.AddSessionConfigEntry(key, value);
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
