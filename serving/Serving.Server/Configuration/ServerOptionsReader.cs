using System.Globalization;
using System.Text;

namespace Serving.Server.Configuration;

/// <summary>
/// Reads <see cref="ServerOptions"/> from <c>--kebab-case value</c> (or <c>--name=value</c>) arguments and
/// <c>SERVING_UPPER_SNAKE</c> environment variables; an argument wins over its variable. Every problem is
/// collected and reported together, naming both spellings of the setting.
/// </summary>
public static class ServerOptionsReader
{
    private sealed record Setting(string Argument, string Variable, string Help, Func<ServerOptions, string, ServerOptions> Apply, bool IsFlag = false);

    private static readonly Setting[] Settings =
    [
        new("port", "SERVING_PORT", "TCP port (default 8080; 0 = any free port)", (o, v) => o with { Port = Int(v) }),
        new("grpc-port", "SERVING_GRPC_PORT", "gRPC port, HTTP/2 only (default 8081; 0 = any free port)", (o, v) => o with { GrpcPort = Int(v) }),
        new("bind-address", "SERVING_BIND_ADDRESS", "IP address to listen on, or * (default 0.0.0.0)", (o, v) => o with { BindAddress = v }),
        new("model-path", "SERVING_MODEL_PATH", "the .onnx file to serve (required)", (o, v) => o with { ModelPath = v }),
        new("model-name", "SERVING_MODEL_NAME", "name in /v2/models/{name} (default fashion-mnist)", (o, v) => o with { ModelName = v }),
        new("model-version", "SERVING_MODEL_VERSION", "version (default: metadata model_version, else 1)", (o, v) => o with { ModelVersion = v }),
        new("model-sha256", "SERVING_MODEL_SHA256", "refuse to start unless the model file has this SHA-256", (o, v) => o with { ModelSha256 = v.ToLowerInvariant() }),
        new("drift-baseline", "SERVING_DRIFT_BASELINE", "drift baseline JSON (default: drift-baseline.json beside the model, if present)", (o, v) => o with { DriftBaselinePath = v }),
        new("max-batch-size", "SERVING_MAX_BATCH_SIZE", "most rows per request (default 64)", (o, v) => o with { MaxBatchSize = Int(v) }),
        new("max-request-body-bytes", "SERVING_MAX_REQUEST_BODY_BYTES", "larger bodies get 413 (default 4194304)", (o, v) => o with { MaxRequestBodyBytes = Long(v) }),
        new("max-concurrent-inferences", "SERVING_MAX_CONCURRENT_INFERENCES", "model runs at once (default: processor count)", (o, v) => o with { MaxConcurrentInferences = Int(v) }),
        new("max-queue-size", "SERVING_MAX_QUEUE_SIZE", "requests waiting beyond those running; more get 503 (default 64)", (o, v) => o with { MaxQueueSize = Int(v) }),
        new("intra-op-threads", "SERVING_INTRA_OP_THREADS", "ONNX Runtime threads per run (default 1)", (o, v) => o with { IntraOpThreads = Int(v) }),
        new("dynamic-batching", "SERVING_DYNAMIC_BATCHING", "merge concurrent requests into one run (default false)", (o, v) => o with { DynamicBatching = Bool(v) }, IsFlag: true),
        new("dynamic-batch-max-size", "SERVING_DYNAMIC_BATCH_MAX_SIZE", "most rows per merged run (default 64)", (o, v) => o with { DynamicBatchMaxSize = Int(v) }),
        new("dynamic-batch-max-queue-delay-us", "SERVING_DYNAMIC_BATCH_MAX_QUEUE_DELAY_US", "longest wait for more requests, µs (default 0)", (o, v) => o with { DynamicBatchMaxQueueDelayMicroseconds = Int(v) }),
        new("warmup-runs", "SERVING_WARMUP_RUNS", "model runs before reporting ready (default 5)", (o, v) => o with { WarmupRuns = Int(v) }),
        new("log-format", "SERVING_LOG_FORMAT", "simple or json (default simple)", (o, v) => o with { LogFormat = LogFormat(v) }),
        new("shutdown-timeout-seconds", "SERVING_SHUTDOWN_TIMEOUT_SECONDS", "drain time on SIGTERM (default 25)", (o, v) => o with { ShutdownTimeoutSeconds = Int(v) }),
    ];

    /// <summary>True when the arguments ask for usage text rather than a server.</summary>
    public static bool IsHelpRequested(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    public static string Usage()
    {
        var text = new StringBuilder("Usage: Serving.Server [--setting value]...\nEach setting can also be given by its environment variable; an argument wins.\n\n");
        foreach (var s in Settings)
            text.Append(CultureInfo.InvariantCulture, $"  --{s.Argument,-34} {s.Variable,-42} {s.Help}\n");
        return text.ToString();
    }

    /// <exception cref="ServerConfigurationException">Listing every unknown argument, unparsable value and invalid setting.</exception>
    public static ServerOptions Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        var fromArguments = ParseArguments(args, errors);
        var options = new ServerOptions();
        foreach (var setting in Settings)
        {
            var (value, source) = fromArguments.TryGetValue(setting.Argument, out var argument)
                ? (argument, $"--{setting.Argument}")
                : (environment(setting.Variable), setting.Variable);
            if (string.IsNullOrEmpty(value)) continue;
            try
            {
                options = setting.Apply(options, value);
            }
            catch (FormatException e)
            {
                errors.Add($"{source}: '{value}' {e.Message}");
            }
        }

        if (errors.Count == 0) errors.AddRange(options.Validate());
        if (errors.Count > 0) throw new ServerConfigurationException(errors);
        return options;
    }

    private static Dictionary<string, string> ParseArguments(IReadOnlyList<string> args, List<string> errors)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                errors.Add($"unexpected argument '{arg}'; settings look like --port 8080.");
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=');
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            var setting = Array.Find(Settings, s => s.Argument == name);
            if (setting is null)
            {
                errors.Add($"unknown argument '--{name}'. Known settings: {string.Join(", ", Settings.Select(s => "--" + s.Argument))}.");
                // Its value, if any, belongs to it: reporting it as a second stray argument would only confuse.
                if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) i++;
                continue;
            }

            if (value is null)
            {
                var next = i + 1 < args.Count ? args[i + 1] : null;
                if (next is not null && !next.StartsWith("--", StringComparison.Ordinal)) value = args[++i];
                else if (setting.IsFlag) value = "true";
                else
                {
                    errors.Add($"--{name} needs a value.");
                    continue;
                }
            }

            values[name] = value;
        }

        return values;
    }

    private static int Int(string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : throw new FormatException("is not a whole number.");

    private static long Long(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : throw new FormatException("is not a whole number.");

    private static bool Bool(string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new FormatException("is not a boolean; use true or false."),
    };

    private static ServerLogFormat LogFormat(string value) =>
        Enum.TryParse<ServerLogFormat>(value, ignoreCase: true, out var format) && Enum.IsDefined(format)
            ? format
            : throw new FormatException("is not a log format; use simple or json.");
}
