using System.Text;

namespace Pipeline.Prerequisites;

/// <summary>The last lines of a (possibly large, appended-to) log file, for error messages.</summary>
public static class LogTail
{
    public static string Read(string path, int lines = 10, int maxBytes = 16 * 1024)
    {
        if (!File.Exists(path))
        {
            return $"({path} does not exist)";
        }

        using var stream = File.OpenRead(path);
        var start = Math.Max(0, stream.Length - maxBytes);
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - start];
        stream.ReadExactly(buffer);
        var tail = Encoding.UTF8.GetString(buffer)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeLast(lines)
            .ToList();
        return tail.Count == 0 ? $"({path} is empty)" : string.Join(" | ", tail);
    }
}
