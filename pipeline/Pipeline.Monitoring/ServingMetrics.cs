namespace Pipeline.Monitoring;

/// <summary>
/// The metric names the serving server exports (issue #15's contract) and the series the rules in
/// serving/monitoring/alerts.yml record: the one list the rules, the dashboard and the Monitor target are checked against.
/// </summary>
public static class ServingMetrics
{
    public const string RequestsTotal = "mlops_inference_requests_total";
    public const string RequestDuration = "mlops_inference_request_duration_seconds";
    public const string PredictedClassTotal = "mlops_predicted_class_total";
    public const string DriftBinTotal = "mlops_drift_bin_total";
    public const string DriftBaselineRatio = "mlops_drift_baseline_ratio";
    public const string PendingRequests = "nv_inference_pending_request_count";
    public const string DriftPsi = "mlops:drift_psi";

    /// <summary>What the server exports: the contract's new metrics, the Triton-style ones it kept, and prometheus-net's process metrics.</summary>
    public static IReadOnlyList<string> Exported { get; } =
    [
        RequestsTotal,
        RequestDuration + "_bucket", RequestDuration + "_sum", RequestDuration + "_count",
        PredictedClassTotal, DriftBinTotal, DriftBaselineRatio,
        "nv_inference_request_success", "nv_inference_request_failure", "nv_inference_count", "nv_inference_exec_count",
        "nv_inference_request_duration_us", "nv_inference_queue_duration_us", "nv_inference_compute_infer_duration_us", PendingRequests,
        "process_start_time_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes",
    ];

    /// <summary>Series every scrape target gets from Prometheus itself.</summary>
    public static IReadOnlyList<string> Synthetic { get; } = ["up", "scrape_duration_seconds"];
}
