namespace Pipeline.Monitoring;

/// <summary>What <see cref="LocalPrometheus.EnsureRunningAsync"/> did: started an instance, reloaded it with a new configuration, or nothing.</summary>
public enum PrometheusChange
{
    Unchanged,
    Reloaded,
    Started,
}
