namespace Pipeline.Monitoring;

/// <summary>One active scrape target as /api/v1/targets reports it: its labels after relabelling, URL and last scrape's health.</summary>
public sealed record PrometheusTarget(IReadOnlyDictionary<string, string> Labels, string ScrapeUrl, string Health, string LastError)
{
    public string Job => Labels.TryGetValue("job", out var job) ? job : "";

    public bool IsUp => Health == "up";

    public override string ToString() =>
        $"{Job} {ScrapeUrl} {Health}{(LastError.Length > 0 ? $" ({LastError})" : "")}";
}
