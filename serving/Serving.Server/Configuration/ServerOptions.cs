using System.Net;

namespace Serving.Server.Configuration;

/// <summary>
/// Everything the server can be told at start-up. <see cref="ServerOptionsReader"/> fills it from command-line
/// arguments and SERVING_* environment variables; <see cref="Validate"/> lists every problem at once.
/// </summary>
public sealed record ServerOptions
{
    public const int DefaultPort = 8080;
    public const int DefaultGrpcPort = 8081;
    public const string DefaultModelName = "fashion-mnist";

    /// <summary>TCP port; 0 picks a free one (the chosen address is logged).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// TCP port of the Open Inference Protocol's gRPC API (HTTP/2 only, cleartext h2c); 0 picks a free one. A port of
    /// its own because gRPC needs HTTP/2 while the REST port speaks HTTP/1.1, and plain-text h2c cannot share a port.
    /// </summary>
    public int GrpcPort { get; init; } = DefaultGrpcPort;

    /// <summary>An IP address, or "*" for every IPv4 and IPv6 interface.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    public string ModelPath { get; init; } = "";

    public string ModelName { get; init; } = DefaultModelName;

    /// <summary>Null takes the model's metadata_props "model_version", else "1".</summary>
    public string? ModelVersion { get; init; }

    /// <summary>When set, the server refuses to start unless the model file has exactly this SHA-256 (hex).</summary>
    public string? ModelSha256 { get; init; }

    /// <summary>
    /// The drift baseline recorded at Validate. Null takes drift-baseline.json beside the model file when present;
    /// without a baseline the drift metrics are not exported.
    /// </summary>
    public string? DriftBaselinePath { get; init; }

    /// <summary>Most rows one request may carry.</summary>
    public int MaxBatchSize { get; init; } = 64;

    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Model runs at once (without dynamic batching). Intra-op threads 1 makes one run one core.</summary>
    public int MaxConcurrentInferences { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Requests admitted beyond the running ones, waiting their turn. A request arriving when
    /// <see cref="MaxConcurrentInferences"/> + this many are in flight is refused at once with 503.
    /// </summary>
    public int MaxQueueSize { get; init; } = 64;

    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Merge concurrent requests into one model run.</summary>
    public bool DynamicBatching { get; init; }

    /// <summary>Most rows in one merged run.</summary>
    public int DynamicBatchMaxSize { get; init; } = 64;

    /// <summary>
    /// How long the oldest waiting request may be held for more to arrive. 0 merges only what is already waiting;
    /// other values are honoured with the OS timer's resolution (about 1 ms).
    /// </summary>
    public int DynamicBatchMaxQueueDelayMicroseconds { get; init; }

    /// <summary>Model runs made before the server reports ready.</summary>
    public int WarmupRuns { get; init; } = 5;

    public ServerLogFormat LogFormat { get; init; } = ServerLogFormat.Simple;

    /// <summary>How long SIGTERM waits for in-flight requests before the process exits anyway.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 25;

    /// <summary>Requests the server holds at once: running plus waiting.</summary>
    public int AdmissionLimit => MaxConcurrentInferences + MaxQueueSize;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535) errors.Add($"port {Port} is out of range; use 1-65535 (or 0 for any free port).");
        if (GrpcPort is < 0 or > 65535) errors.Add($"gRPC port {GrpcPort} is out of range; use 1-65535 (or 0 for any free port).");
        if (GrpcPort == Port && Port != 0) errors.Add($"the gRPC port and the REST port are both {Port}; give --grpc-port another port.");
        if (BindAddress != "*" && !IPAddress.TryParse(BindAddress, out _))
            errors.Add($"bind address '{BindAddress}' is not an IP address; use e.g. 0.0.0.0, 127.0.0.1, :: or *.");
        if (string.IsNullOrWhiteSpace(ModelPath)) errors.Add("the model path is required: give --model-path or SERVING_MODEL_PATH.");
        if (string.IsNullOrWhiteSpace(ModelName) || ModelName.Contains('/'))
            errors.Add($"model name '{ModelName}' must be non-empty and contain no '/'.");
        if (ModelVersion is not null && (ModelVersion.Length == 0 || ModelVersion.Contains('/')))
            errors.Add($"model version '{ModelVersion}' must be non-empty and contain no '/'.");
        if (DriftBaselinePath is { Length: 0 }) errors.Add("the drift baseline path is empty; give a file or leave --drift-baseline / SERVING_DRIFT_BASELINE unset.");
        if (ModelSha256 is not null && !IsSha256Hex(ModelSha256))
            errors.Add($"model SHA-256 '{ModelSha256}' must be 64 hexadecimal characters.");
        RequirePositive(errors, "max batch size", MaxBatchSize);
        if (MaxRequestBodyBytes < 1024) errors.Add($"max request body bytes {MaxRequestBodyBytes} is too small; use at least 1024.");
        RequirePositive(errors, "max concurrent inferences", MaxConcurrentInferences);
        if (MaxQueueSize < 0) errors.Add($"max queue size {MaxQueueSize} cannot be negative.");
        if (IntraOpThreads < 0) errors.Add($"intra-op threads {IntraOpThreads} cannot be negative (0 lets ONNX Runtime pick).");
        RequirePositive(errors, "dynamic batch max size", DynamicBatchMaxSize);
        if (DynamicBatchMaxQueueDelayMicroseconds is < 0 or > 10_000_000)
            errors.Add($"dynamic batch max queue delay {DynamicBatchMaxQueueDelayMicroseconds} µs is out of range; use 0-10000000.");
        if (WarmupRuns < 0) errors.Add($"warm-up runs {WarmupRuns} cannot be negative.");
        if (ShutdownTimeoutSeconds is < 0 or > 3600) errors.Add($"shutdown timeout {ShutdownTimeoutSeconds} s is out of range; use 0-3600.");
        return errors;
    }

    private static void RequirePositive(List<string> errors, string what, int value)
    {
        if (value < 1) errors.Add($"{what} {value} must be at least 1.");
    }

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);
}

public enum ServerLogFormat
{
    Simple,
    Json,
}
