namespace Pipeline.Docker;

/// <summary>
/// One line of text for a pull/push/import progress message, as the docker CLI prints it:
/// "id: status progress", or just the status for messages about the whole operation.
/// </summary>
internal static class ProgressLine
{
    public static string? Format(JsonElement message)
    {
        var status = message.String("status");
        if (string.IsNullOrEmpty(status))
        {
            return null;
        }

        var id = message.String("id");
        var bar = message.String("progress");
        var line = id is { Length: > 0 } ? $"{id}: {status}" : status;
        return bar is { Length: > 0 } ? $"{line} {bar}" : line;
    }
}
