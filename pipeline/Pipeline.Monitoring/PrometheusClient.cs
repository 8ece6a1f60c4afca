using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Pipeline.Monitoring;

/// <summary>
/// Prometheus's HTTP API (v1) through <paramref name="http"/>, whose BaseAddress is the server (http://127.0.0.1:9090/).
/// Errors Prometheus reports become <see cref="PrometheusQueryException"/> with its words; a server that is not there
/// surfaces as <see cref="HttpRequestException"/>, so callers can tell "not running" from "refused".
/// </summary>
public sealed class PrometheusClient(HttpClient http)
{
    /// <summary>An instant query (/api/v1/query) at the server's current time; a scalar answer is one sample without labels.</summary>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promql);
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("query", promql)]);
        // POST: long expressions stay out of the URL (and out of its length limit), as the API allows.
        var data = await SendAsync(HttpMethod.Post, "api/v1/query", content, $"query '{promql}'", cancellationToken);
        var resultType = data.GetProperty("resultType").GetString();
        var result = data.GetProperty("result");
        return resultType switch
        {
            "vector" => [.. result.EnumerateArray().Select(s => new PrometheusSample(Labels(s.GetProperty("metric")), Value(s.GetProperty("value"))))],
            "scalar" => [new PrometheusSample(new Dictionary<string, string>(), Value(result))],
            _ => throw new PrometheusQueryException(
                $"Prometheus answered the query '{promql}' with a {resultType}; an instant query for a vector or scalar is expected (drop the range selector [..]).",
                "unexpected_result", resultType ?? ""),
        };
    }

    /// <summary>The active scrape targets (/api/v1/targets?state=active) with their health after the last scrape.</summary>
    public async Task<IReadOnlyList<PrometheusTarget>> TargetsAsync(CancellationToken cancellationToken)
    {
        var data = await SendAsync(HttpMethod.Get, "api/v1/targets?state=active", null, "targets", cancellationToken);
        return [.. data.GetProperty("activeTargets").EnumerateArray().Select(t => new PrometheusTarget(
            Labels(t.GetProperty("labels")),
            t.GetProperty("scrapeUrl").GetString() ?? "",
            t.GetProperty("health").GetString() ?? "",
            t.TryGetProperty("lastError", out var error) ? error.GetString() ?? "" : ""))];
    }

    /// <summary>The command-line flags the server runs with (/api/v1/status/flags), e.g. "config.file".</summary>
    public async Task<IReadOnlyDictionary<string, string>> FlagsAsync(CancellationToken cancellationToken) =>
        Labels(await SendAsync(HttpMethod.Get, "api/v1/status/flags", null, "flags", cancellationToken));

    /// <summary>The rule groups the server loaded (/api/v1/rules), in its order, each rule with its PromQL as the server parsed it.</summary>
    public async Task<IReadOnlyList<PrometheusRuleGroup>> RuleGroupsAsync(CancellationToken cancellationToken)
    {
        var data = await SendAsync(HttpMethod.Get, "api/v1/rules", null, "rules", cancellationToken);
        return [.. data.GetProperty("groups").EnumerateArray().Select(g => new PrometheusRuleGroup(
            g.GetProperty("name").GetString() ?? "",
            [.. g.GetProperty("rules").EnumerateArray().Select(r => new PrometheusRule(
                r.GetProperty("name").GetString() ?? "", r.GetProperty("type").GetString() == "alerting", r.GetProperty("query").GetString() ?? ""))]))];
    }

    /// <summary>
    /// POST /-/reload (needs --web.enable-lifecycle): the server rereads its configuration and rule files before it
    /// answers, so a 200 means the new configuration is in force; a refused one keeps the old and says why.
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("-/reload", null, cancellationToken);
        if (response.IsSuccessStatusCode) return;
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        throw new PrometheusQueryException(response.StatusCode == HttpStatusCode.Forbidden
            ? $"Prometheus at {http.BaseAddress} refuses POST /-/reload ({body}): it was started without --web.enable-lifecycle; restart it with that flag."
            : $"Prometheus at {http.BaseAddress} refused the new configuration and keeps the old one: {body}", "reload", body);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new PrometheusQueryException(
                $"{http.BaseAddress} answered the {what} request with HTTP {(int)response.StatusCode} and no Prometheus API JSON " +
                $"(\"{Shorten(body)}\"): is something other than Prometheus listening there?", "not_prometheus", body, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var status) && status.GetString() == "success")
                return root.GetProperty("data").Clone();
            var errorType = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errorType", out var type) ? type.GetString() ?? "" : "";
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var text) ? text.GetString() ?? "" : Shorten(body);
            throw new PrometheusQueryException($"Prometheus at {http.BaseAddress} refused the {what} (HTTP {(int)response.StatusCode}, {errorType}): {error}",
                errorType, error);
        }
    }

    private static Dictionary<string, string> Labels(JsonElement labels) =>
        labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText());

    /// <summary>A sample is [unix time, "value"]; Prometheus spells the special values NaN, +Inf and -Inf.</summary>
    private static double Value(JsonElement pair) => pair[1].GetString() switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        var text => double.Parse(text ?? "", NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Shorten(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";
}
