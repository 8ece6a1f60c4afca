using System.Globalization;

namespace Pipeline.Docker;

/// <summary>Times in engine answers: "0001-01-01T00:00:00Z" (or a default DateTime) means "never", not year 1.</summary>
internal static class EngineTime
{
    public static DateTimeOffset? From(DateTime? time) =>
        time is { } value && value.Year > 1
            ? new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime())
            : null;

    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year > 1
            ? time
            : null;
}
