namespace Pipeline.Monitoring;

/// <summary>One series of an instant query's answer: its labels (including __name__ when it kept one) and its value.</summary>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The label's value, or "" when the series has no such label (as PromQL treats a missing label).</summary>
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}
