using System.Globalization;

namespace Pipeline.Engine;

internal static class DurationText
{
    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 10 => duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s",
        < 60 => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        _ => $"{(int)duration.TotalMinutes}m {duration.Seconds:00}s",
    };
}
