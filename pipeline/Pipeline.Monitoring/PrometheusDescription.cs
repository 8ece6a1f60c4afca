namespace Pipeline.Monitoring;

/// <summary>
/// What the local Prometheus scrapes and evaluates: it listens on 127.0.0.1:<see cref="Port"/>, scrapes every edge
/// (HAProxy's exporter on each port in <see cref="EdgePorts"/>) and every serving container Docker reports with the
/// label io.mlops.role=<see cref="ServingRole"/>, and loads <see cref="RuleFiles"/> (paths of the repository's rule files).
/// </summary>
public sealed record PrometheusDescription(int Port, IReadOnlyList<int> EdgePorts, IReadOnlyList<string> RuleFiles)
{
    public const int DefaultPort = 9090;

    /// <summary>Local analysis steps are seconds long: a 15 s default would leave them without points to compare.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string DockerHost { get; init; } = "unix:///var/run/docker.sock";

    /// <summary>The value of io.mlops.role that marks a serving container (Pipeline.Stages.DeploymentLabels.ServingRole).</summary>
    public string ServingRole { get; init; } = "serving";

    /// <summary>The port the server listens on inside its container; Prometheus scrapes the host port Docker published for it.</summary>
    public int ServingContainerPort { get; init; } = 8080;

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>This description plus the edge on <paramref name="edgePort"/> (unchanged when it is already scraped).</summary>
    public PrometheusDescription WithEdgePort(int edgePort) =>
        EdgePorts.Contains(edgePort) ? this : this with { EdgePorts = [.. EdgePorts, edgePort] };

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Port is < 1024 or > 65535)
            problems.Add($"Prometheus port {Port} is not usable: choose an unprivileged TCP port, 1024-65535, with --prometheus-port (default {DefaultPort}).");
        foreach (var edge in EdgePorts.Where(p => p is < 1 or > 65535))
            problems.Add($"edge port {edge} is not a TCP port (1-65535).");
        if (EdgePorts.Contains(Port))
            problems.Add($"the edge and Prometheus cannot both listen on 127.0.0.1:{Port}: choose another --prometheus-port.");
        foreach (var file in RuleFiles.Where(f => !File.Exists(f)))
            problems.Add($"rule file {file} does not exist (the repository ships serving/monitoring/alerts.yml; run from a full checkout).");
        foreach (var name in RuleFiles.GroupBy(Path.GetFileName).Where(g => g.Count() > 1))
            problems.Add($"two rule files are named {name.Key}; they are copied into one directory, so give them distinct names.");
        if (ScrapeInterval <= TimeSpan.Zero || EvaluationInterval <= TimeSpan.Zero)
            problems.Add("the scrape and evaluation intervals must be positive.");
        return problems;
    }

    public void ThrowIfInvalid()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException("The Prometheus description is not usable: " + string.Join(" ", problems));
    }
}
