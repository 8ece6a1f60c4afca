using System.Runtime.CompilerServices;

namespace Pipeline.Docker;

/// <summary>
/// Reads the engine's progress streams (build, import, push): one JSON object per line, sent as the work goes.
/// </summary>
internal static class JsonLines
{
    public static async IAsyncEnumerable<JsonElement> ReadAsync(
        Stream stream, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement message;
            try
            {
                using var document = JsonDocument.Parse(line);
                message = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new DockerException($"Cannot {operation}: the engine sent a progress line that is not JSON: {Shorten(line)}", inner: ex);
            }

            yield return message;
        }
    }

    /// <summary>The "error" of a progress message (errorDetail.message preferred), or null.</summary>
    public static string? Error(JsonElement message) =>
        message.Object("errorDetail")?.String("message") is { Length: > 0 } detail ? detail : message.String("error");

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "...";
}
