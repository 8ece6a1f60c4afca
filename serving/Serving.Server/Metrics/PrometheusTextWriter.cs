using System.Globalization;
using System.Text;

namespace Serving.Server.Metrics;

/// <summary>Writes the metrics in the Prometheus text exposition format (version 0.0.4), with Triton's names.</summary>
internal static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(MetricsSnapshot metrics, string model, string version)
    {
        var labels = $"{{model=\"{Escape(model)}\",version=\"{Escape(version)}\"}}";
        var text = new StringBuilder(2048);
        Append(text, "nv_inference_request_success", "counter", "Number of successful inference requests, all batch sizes", labels, metrics.RequestSuccess);
        Append(text, "nv_inference_request_failure", "counter", "Number of failed inference requests, all batch sizes", labels, metrics.RequestFailure);
        Append(text, "nv_inference_count", "counter", "Number of inferences performed (a request of N rows counts N)", labels, metrics.InferenceCount);
        Append(text, "nv_inference_exec_count", "counter", "Number of model executions performed (merged requests run once)", labels, metrics.ExecutionCount);
        Append(text, "nv_inference_request_duration_us", "counter", "Cumulative inference request duration in microseconds", labels, metrics.RequestDurationUs);
        Append(text, "nv_inference_queue_duration_us", "counter", "Cumulative inference queuing duration in microseconds", labels, metrics.QueueDurationUs);
        Append(text, "nv_inference_compute_infer_duration_us", "counter", "Cumulative compute inference duration in microseconds", labels, metrics.ComputeDurationUs);
        Append(text, "nv_inference_pending_request_count", "gauge", "Instantaneous number of pending requests awaiting execution", labels, metrics.PendingRequests);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, string type, string help, string labels, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name}{labels} {value}\n");

    // Label values escape backslash, double quote and line feed; nothing else.
    private static string Escape(string value) => value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");
}
