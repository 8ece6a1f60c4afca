using Pipeline.IO;
using System.Text;
using System.Text.Json;
using Pipeline.Gates;
using Pipeline.Quantization;

namespace Pipeline.Stages;

/// <summary>The Quantize stage's table: for fp32 and each int8 variant, size, accuracy and latency, plus the targets.</summary>
public static class QuantizationReport
{
    // Numbers format with the invariant culture: the projects set InvariantGlobalization.
    public const string MarkdownFileName = "quantization.md";
    public const string JsonFileName = "quantization.json";

    // Targets from the design: int8 at most 30% of fp32's size, at most 0.3 points less accurate, no slower at batch 64.
    public const double MaxSizeRatio = 0.30;
    public const double MaxAccuracyDropPoints = 0.3;

    /// <param name="saturation">For each int8 candidate, whether its weights can saturate x86 kernels without VNNI.</param>
    /// <param name="machine">The CPU that measured the table.</param>
    public static string Render(IReadOnlyList<CandidateMeasurement> measurements, string defaultCandidate,
        IReadOnlyDictionary<string, U8S8SaturationReport> saturation, CpuFeatures machine)
    {
        var fp32 = measurements.Single(m => m.Kind == CandidateKind.Fp32);
        var text = new StringBuilder();
        text.AppendLine("| model | size KB | % of fp32 | test accuracy | Δ vs fp32 (pts) | batch-1 p50 µs | batch-1 p99 µs | batch-64 p50 µs | on x86 without VNNI |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var m in measurements)
        {
            var name = m.Name == defaultCandidate ? $"**{m.Name}** (model.int8.onnx)" : m.Name;
            var portability = saturation.TryGetValue(m.Name, out var risk)
                ? risk.CanSaturate ? $"**can saturate** ({risk.PairsAtRisk:N0} weight pairs)" : "same answers"
                : "same answers (float)";
            text.AppendLine(
                $"| {name} | {m.SizeBytes / 1024.0:F1} | {100.0 * m.SizeBytes / fp32.SizeBytes:F1} | {m.Accuracy * 100:F2} % | {(m.Accuracy - fp32.Accuracy) * 100:+0.00;-0.00;0.00} | " +
                $"{m.SingleRowLatency.P50Ms * 1000:F1} | {m.SingleRowLatency.P99Ms * 1000:F1} | {m.BatchLatency.P50Ms * 1000:F1} | {portability} |");
        }

        var chosen = measurements.Single(m => m.Name == defaultCandidate);
        var sizeRatio = (double)chosen.SizeBytes / fp32.SizeBytes;
        var drop = (fp32.Accuracy - chosen.Accuracy) * 100;
        text.AppendLine();
        text.AppendLine($"Targets for the default int8 model ({defaultCandidate}):");
        text.AppendLine();
        text.AppendLine("| target | measured | met |");
        text.AppendLine("|---|---:|---|");
        text.AppendLine($"| size ≤ {MaxSizeRatio:P0} of fp32 | {sizeRatio:P1} | {Met(sizeRatio <= MaxSizeRatio)} |");
        text.AppendLine($"| accuracy drop ≤ {MaxAccuracyDropPoints:F1} pts | {drop:F2} pts | {Met(drop <= MaxAccuracyDropPoints)} |");
        text.AppendLine(
            $"| batch-64 p50 no slower than fp32 ({fp32.BatchLatency.P50Ms * 1000:F1} µs) | {chosen.BatchLatency.P50Ms * 1000:F1} µs | {Met(chosen.BatchLatency.P50Ms <= fp32.BatchLatency.P50Ms)} |");
        text.AppendLine();
        text.AppendLine($"Measured on {machine.Describe()}.");
        text.AppendLine();
        text.AppendLine(saturation.TryGetValue(defaultCandidate, out var chosenRisk) && !chosenRisk.CanSaturate
            ? $"The default's weights are 7-bit ({chosenRisk.Describe()}): without VNNI, ONNX Runtime adds pairs of uint8 × int8 " +
              "products in a saturating int16, and no pair of these weights can reach its limit, so CPUs with AVX2 only or " +
              "AVX-512 without VNNI compute the same integers as this one and the accuracy above holds on them."
            : $"**The default can saturate on x86 CPUs without VNNI** ({chosenRisk?.Describe() ?? "not an int8 model"}): its accuracy " +
              "above holds only on serving CPUs with AVX-512 VNNI or AVX-VNNI.");
        return text.ToString();
    }

    public static async Task WriteAsync(IReadOnlyList<CandidateMeasurement> measurements, string markdown, string directory, CancellationToken cancellationToken)
    {
        var summaries = measurements.Select(CandidateSummary.From).ToList();
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, JsonFileName),
            JsonSerializer.Serialize(summaries, StageJson.Options), cancellationToken);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, MarkdownFileName), markdown, cancellationToken);
    }

    private static string Met(bool met) => met ? "yes" : "**no**";
}
