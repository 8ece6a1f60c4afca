using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Monitoring;

/// <summary>
/// Renders prometheus.yml from a <see cref="PrometheusDescription"/>. The description itself rides along as a comment,
/// so the next Deploy can add its edge to what runs instead of dropping the others' (the file is the only record).
/// </summary>
public static class PrometheusConfigRenderer
{
    private const string DescriptionMarker = "# description: ";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Relaxed: '+' and '<' stay as they are, so the file reads as written (the default encoder writes \u002B).
    private static readonly JsonSerializerOptions YamlString = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(PrometheusDescription description, PrometheusLayout layout)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(layout);
        var text = new StringBuilder();
        text.AppendLine("# Rendered by Pipeline.Monitoring (./build.sh Deploy); changes here are overwritten by the next Deploy.");
        text.AppendLine(DescriptionMarker + JsonSerializer.Serialize(description, Json));
        text.AppendLine("global:");
        // A scrape may not outlast the interval: Prometheus refuses a timeout longer than it.
        text.AppendLine($"  scrape_interval: {Duration(description.ScrapeInterval)}");
        text.AppendLine($"  scrape_timeout: {Duration(description.ScrapeInterval)}");
        text.AppendLine($"  evaluation_interval: {Duration(description.EvaluationInterval)}");
        if (description.RuleFiles.Count > 0)
        {
            text.AppendLine("rule_files:");
            foreach (var file in description.RuleFiles)
                text.AppendLine($"  - {Quote(layout.RuleCopy(file))}");
        }

        text.AppendLine("scrape_configs:");
        text.AppendLine("  - job_name: serving");
        // The server's metrics carry model and version themselves; they must win over any target label of the same name.
        text.AppendLine("    honor_labels: true");
        text.AppendLine("    metrics_path: /metrics");
        text.AppendLine("    docker_sd_configs:");
        text.AppendLine($"      - host: {Quote(description.DockerHost)}");
        text.AppendLine($"        refresh_interval: {Duration(description.ScrapeInterval)}");
        text.AppendLine("        filters:");
        text.AppendLine("          - name: label");
        text.AppendLine($"            values: [{Quote($"io.mlops.role={description.ServingRole}")}]");
        text.AppendLine("    relabel_configs:");
        // Docker SD makes one target per port binding: keep the server's own port, and only where it is published.
        text.AppendLine("      - source_labels: [__meta_docker_port_private, __meta_docker_port_public]");
        text.AppendLine($"        regex: {Quote($"{description.ServingContainerPort};(.+)")}");
        text.AppendLine("        action: keep");
        // An IPv6 binding of the same port repeats the IPv4 one; the scrape goes to 127.0.0.1 either way.
        text.AppendLine("      - source_labels: [__meta_docker_port_public_ip]");
        text.AppendLine("        regex: \".*:.*\"");
        text.AppendLine("        action: drop");
        text.AppendLine("      - source_labels: [__meta_docker_port_public]");
        text.AppendLine("        target_label: __address__");
        text.AppendLine("        replacement: \"127.0.0.1:$1\"");
        text.AppendLine("      - source_labels: [__meta_docker_container_label_io_mlops_deployment]");
        text.AppendLine("        target_label: deployment");
        text.AppendLine("      - source_labels: [__meta_docker_container_label_io_mlops_color]");
        text.AppendLine("        target_label: slot");
        text.AppendLine("      - source_labels: [__meta_docker_container_name]");
        text.AppendLine("        regex: \"/?(.*)\"");
        text.AppendLine("        target_label: container");
        if (description.EdgePorts.Count > 0)
        {
            text.AppendLine("  - job_name: edge");
            text.AppendLine("    metrics_path: /metrics");
            text.AppendLine("    static_configs:");
            text.AppendLine($"      - targets: [{string.Join(", ", description.EdgePorts.Order().Select(p => Quote($"127.0.0.1:{p}")))}]");
        }

        return text.ToString();
    }

    /// <summary>The description a rendered configuration came from, or null when the text has none (not ours, or hand-written).</summary>
    public static PrometheusDescription? ReadDescription(string config)
    {
        var line = config.Split('\n').FirstOrDefault(l => l.StartsWith(DescriptionMarker, StringComparison.Ordinal));
        return line is null ? null : JsonSerializer.Deserialize<PrometheusDescription>(line[DescriptionMarker.Length..], Json);
    }

    /// <summary>Prometheus durations: whole milliseconds, written in the largest unit that divides them.</summary>
    private static string Duration(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms % 1000 == 0 ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s" : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>A JSON string is a YAML double-quoted scalar: paths and regexes need no other escaping.</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value, YamlString);
}
