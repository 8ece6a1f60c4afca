using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>labelSelector (k=v, k!=v, k, !k) and fieldSelector (metadata.name=..., involvedObject.name=...) as list and watch take them.</summary>
internal static class Selectors
{
    public static Func<JsonObject, bool> Parse(string? labelSelector, string? fieldSelector)
    {
        var tests = new List<Func<JsonObject, bool>>();
        foreach (var term in Terms(labelSelector))
        {
            tests.Add(LabelTest(term));
        }

        foreach (var term in Terms(fieldSelector))
        {
            var negate = term.Contains("!=");
            var parts = term.Split(negate ? "!=" : term.Contains("==") ? "==" : "=", 2);
            if (parts.Length != 2) throw StatusException.BadRequest($"invalid field selector term '{term}'");
            var path = parts[0].Split('.');
            var expected = parts[1];
            tests.Add(o => (o.Str(path) == expected) != negate);
        }

        return o => tests.All(t => t(o));
    }

    private static IEnumerable<string> Terms(string? selector) =>
        (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Func<JsonObject, bool> LabelTest(string term)
    {
        string? Label(JsonObject o, string key) => o.Str("metadata", "labels", key);
        if (term.StartsWith('!')) return o => Label(o, term[1..]) is null;
        if (term.Contains("!="))
        {
            var p = term.Split("!=", 2);
            return o => Label(o, p[0]) != p[1];
        }

        if (term.Contains('='))
        {
            var p = term.Split(term.Contains("==") ? "==" : "=", 2);
            return o => Label(o, p[0]) == p[1];
        }

        if (term.Contains(" in ") || term.Contains(" notin ")) throw StatusException.BadRequest($"set-based selector '{term}' is not supported by the fake");
        return o => Label(o, term) is not null;
    }
}
