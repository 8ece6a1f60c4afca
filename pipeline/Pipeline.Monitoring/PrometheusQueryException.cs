namespace Pipeline.Monitoring;

/// <summary>Prometheus refused a request (a PromQL parse error, a timeout, a failed reload): its own error text is in the message.</summary>
public sealed class PrometheusQueryException(string message, string errorType = "", string prometheusError = "", Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Prometheus's errorType ("bad_data", "execution", "timeout", ...), or "" when it gave none.</summary>
    public string ErrorType { get; } = errorType;

    /// <summary>Prometheus's error text, unchanged.</summary>
    public string PrometheusError { get; } = prometheusError;
}
