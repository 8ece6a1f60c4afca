namespace Pipeline.Docker;

/// <summary>
/// Chooses the API version to speak, as the docker CLI does: the version this client was written and tested
/// against (1.41) unless the engine is older (then its own version) or no longer accepts 1.41 (Docker 29 and
/// later accept 1.44 at the least; then that minimum, whose answers carry the same fields this client reads).
/// </summary>
internal static class ApiVersionNegotiation
{
    public const string Preferred = "1.41";

    public static string Choose(string? engineVersion, string? engineMinimum)
    {
        var preferred = Version.Parse(Preferred);
        if (TryParse(engineVersion) is { } newest && newest < preferred)
        {
            return engineVersion!;
        }

        if (TryParse(engineMinimum) is { } oldest && oldest > preferred)
        {
            return engineMinimum!;
        }

        return Preferred;
    }

    private static Version? TryParse(string? text) =>
        Version.TryParse(text, out var version) && text!.All(c => char.IsAsciiDigit(c) || c == '.')
            ? version
            : null;
}
