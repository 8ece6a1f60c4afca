using System.Globalization;
using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.Stages;

/// <summary>
/// artifacts/loadtest/verdict.json: which image (by id, i.e. content digest) was load-tested with which thresholds and
/// load profile, when, and whether it passed. LoadTest reuses a passing verdict for the same image and settings
/// instead of measuring again (unless --force): the same bytes under the same load are not new evidence.
/// </summary>
public sealed record LoadTestVerdict(
    string ImageId,
    string Image,
    string ModelVersion,
    IReadOnlyList<string> Thresholds,
    string Profile,
    bool Passed,
    DateTimeOffset MeasuredAt,
    long Requests,
    double RequestsPerSecond,
    double P99Milliseconds,
    double ErrorRate,
    long ChecksPassed,
    long MemoryAfterLoadBytes)
{
    public const string FileName = "verdict.json";

    /// <summary>Thresholds as a set: trimmed and in ordinal order, so that the order they were given in does not matter.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> thresholds) =>
        thresholds.Select(t => t.Trim()).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// What decides the verdict besides the image and the load: the absolute thresholds, and when a production
    /// version is compared with, the relative thresholds and that version (a new production version is a new baseline).
    /// </summary>
    public static IReadOnlyList<string> Settings(LoadTestRequest request) => Normalize(
        request.Baseline is { } baseline && request.RelativeThresholds.Count > 0
            ? [.. request.Thresholds, .. request.RelativeThresholds.Select(t => "relative " + t.Trim()), "baseline " + baseline.Version]
            : request.Thresholds);

    /// <summary>Every setting of the load that shapes the figures, as one comparable line.</summary>
    public static string Describe(LoadProfile profile) => string.Create(CultureInfo.InvariantCulture,
        $"rate={profile.RequestsPerSecond:R}/s duration={profile.Duration.TotalSeconds:R}s warmup={profile.Warmup.TotalSeconds:R}s " +
        $"connections={profile.MaxConnections} in-flight={profile.MaxInFlight} images={profile.DistinctImages} check-every={profile.CheckEvery}") +
        // Named only when not REST, so verdicts measured before there was a choice still describe the same load.
        (profile.Protocol == LoadProtocol.Rest ? "" : $" protocol={profile.Protocol.ToString().ToLowerInvariant()}");

    /// <summary>Whether this verdict is a passing measurement of exactly what <paramref name="request"/> asks to measure.</summary>
    public bool PassedFor(LoadTestRequest request) =>
        Passed &&
        ImageId == request.Image.ImageId &&
        ModelVersion == request.Release.Version &&
        (Thresholds.SequenceEqual(Settings(request), StringComparer.Ordinal) ||
         request.CandidateServing && AbsoluteThresholds.SequenceEqual(Normalize(request.Thresholds), StringComparer.Ordinal)) &&
        Profile == Describe(request.Profile);

    /// <summary>The absolute thresholds among <see cref="Thresholds"/>, without the relative ones and the baseline they were measured against.</summary>
    private IEnumerable<string> AbsoluteThresholds =>
        Thresholds.Where(t => !t.StartsWith("relative ", StringComparison.Ordinal) && !t.StartsWith("baseline ", StringComparison.Ordinal));

    /// <summary>The verdict in <paramref name="directory"/>, or null when there is none or it cannot be read (then LoadTest measures).</summary>
    public static async Task<LoadTestVerdict?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<LoadTestVerdict>(stream, StageJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        return AtomicFile.WriteAllTextAsync(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, StageJson.Options), cancellationToken);
    }

    /// <summary>Removes the verdict before a new measurement, so a run that fails half-way leaves nothing that looks reusable.</summary>
    public static void Delete(string directory)
    {
        // File.Delete ignores a missing file but throws for a missing directory: a first run has neither.
        if (Directory.Exists(directory)) File.Delete(Path.Combine(directory, FileName));
    }
}
