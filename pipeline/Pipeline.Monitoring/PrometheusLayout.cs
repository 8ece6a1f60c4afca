namespace Pipeline.Monitoring;

/// <summary>
/// Where one local Prometheus keeps everything, under one state directory (one per port): its configuration, the
/// copies of the rule files it loads, its TSDB, log and pid file. Nothing under /etc/prometheus or /var/lib is used.
/// </summary>
public sealed record PrometheusLayout(string StateDirectory)
{
    /// <summary>The state directory of the instance on <paramref name="port"/> under the build's state root.</summary>
    public static PrometheusLayout For(string stateRoot, int port) => new(Path.Combine(stateRoot, $"prometheus-{port}"));

    public string ConfigFile => Path.Combine(StateDirectory, "prometheus.yml");
    public string CandidateConfigFile => Path.Combine(StateDirectory, "prometheus.yml.candidate");
    public string RulesDirectory => Path.Combine(StateDirectory, "rules");
    public string DataDirectory => Path.Combine(StateDirectory, "data");
    public string LogFile => Path.Combine(StateDirectory, "prometheus.log");
    public string PidFile => Path.Combine(StateDirectory, "prometheus.pid");

    /// <summary>Where the copy of <paramref name="ruleFile"/> that Prometheus loads lives.</summary>
    public string RuleCopy(string ruleFile) => Path.Combine(RulesDirectory, Path.GetFileName(ruleFile));

    public void Create()
    {
        Directory.CreateDirectory(StateDirectory);
        Directory.CreateDirectory(RulesDirectory);
        Directory.CreateDirectory(DataDirectory);
    }
}
