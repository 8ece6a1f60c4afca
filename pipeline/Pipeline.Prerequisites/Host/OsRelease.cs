namespace Pipeline.Prerequisites;

/// <summary>The identifying fields of os-release(5): which distribution this is and what it derives from.</summary>
public sealed record OsRelease(string Id, IReadOnlyList<string> IdLike, string PrettyName)
{
    public const string DefaultPath = "/etc/os-release";

    private static readonly string[] DebianFamily = ["debian", "ubuntu"];

    public static OsRelease Unknown { get; } = new("", [], "unknown OS");

    /// <summary>Debian, Ubuntu, or a derivative of either (their apt package names are what we install).</summary>
    public bool IsDebianFamily => DebianFamily.Contains(Id) || IdLike.Any(DebianFamily.Contains);

    /// <summary>Reads the file; a missing file means an unknown OS, not an error.</summary>
    public static OsRelease Read(string path = DefaultPath) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : Unknown;

    public static OsRelease Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            var equals = line.IndexOf('=');
            if (line.Length == 0 || line[0] == '#' || equals <= 0)
            {
                continue;
            }

            fields[line[..equals]] = Unquote(line[(equals + 1)..]);
        }

        var id = fields.GetValueOrDefault("ID", "").ToLowerInvariant();
        var idLike = fields.GetValueOrDefault("ID_LIKE", "")
            .ToLowerInvariant()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pretty = fields.GetValueOrDefault("PRETTY_NAME") ?? (id.Length > 0 ? id : Unknown.PrettyName);
        return new OsRelease(id, idLike, pretty);
    }

    // os-release values are shell-compatible: optionally quoted, with backslash escapes inside quotes.
    private static string Unquote(string value)
    {
        if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
        {
            value = value[1..^1];
            if (value.Contains('\\'))
            {
                value = value.Replace("\\\"", "\"").Replace("\\$", "$").Replace("\\`", "`").Replace("\\\\", "\\");
            }
        }

        return value;
    }
}
