namespace Pipeline.Docker;

/// <summary>Reads the engine's progress messages (build, pull, push, import) as Docker.DotNet parses them.</summary>
internal static class ProgressMessages
{
    /// <summary>The engine's error in this message, or null.</summary>
    public static string? Error(JSONMessage message) => message.Error?.Message is { Length: > 0 } error ? error : null;

    /// <summary>
    /// The message as one line, like the docker CLI's: "id: status", then "current/total" while a layer moves;
    /// null for messages without a status.
    /// </summary>
    public static string? Line(JSONMessage message)
    {
        if (string.IsNullOrEmpty(message.Status))
        {
            return null;
        }

        var line = message.ID is { Length: > 0 } id ? $"{id}: {message.Status}" : message.Status;
        return message.Progress is { Total: > 0 } progress ? $"{line} {progress.Current ?? 0}/{progress.Total}" : line;
    }

    /// <summary>A text field of the message's "aux" data (the built image's "ID", the pushed manifest's "Digest").</summary>
    public static string? AuxText(JSONMessage message, string name) =>
        Aux(message, name) switch
        {
            JsonElement { ValueKind: JsonValueKind.String } text => text.GetString(),
            string text => text,
            _ => null,
        };

    /// <summary>A number in the message's "aux" data, or 0.</summary>
    public static long AuxNumber(JSONMessage message, string name) =>
        Aux(message, name) switch
        {
            JsonElement { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var value) => value,
            long value => value,
            _ => 0,
        };

    private static object? Aux(JSONMessage message, string name) =>
        message.Aux?.ExtensionData is { } data && data.TryGetValue(name, out var value) ? value : null;
}
