using System.Text;

namespace Pipeline.Docker;

/// <summary>Builds "path?a=1&amp;b=x" with every value escaped; null values are left out.</summary>
internal sealed class QueryString(string path)
{
    private readonly StringBuilder text = new(path);
    private bool first = !path.Contains('?');

    public QueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        text.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        first = false;
        return this;
    }

    public QueryString Add(string name, bool value) => value ? Add(name, "1") : this;

    /// <summary>A JSON-encoded parameter (filters, buildargs, labels), left out when empty.</summary>
    public QueryString AddJson<TValue>(string name, IReadOnlyDictionary<string, TValue>? value) =>
        value is null || value.Count == 0 ? this : Add(name, JsonSerializer.Serialize(value));

    public override string ToString() => text.ToString();
}
