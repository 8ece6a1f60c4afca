namespace Pipeline.Monitoring;

/// <summary>The local Prometheus could not be started, checked or reached as ours; the message says what to do.</summary>
public sealed class PrometheusProcessException(string message, Exception? inner = null) : Exception(message, inner);
