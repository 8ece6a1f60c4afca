using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Engine;

/// <summary>
/// The single place the engine writes to. One lock orders whole lines and renderables, so concurrent targets never
/// interleave mid-line, and every text line passes the secret masker.
/// </summary>
internal sealed class OutputSink(IAnsiConsole console, SecretMasker masker)
{
    private readonly Lock _lock = new();

    public SecretMasker Masker => masker;

    /// <summary>Writes one line as-is (no markup, no wrapping), masked.</summary>
    public void WriteLine(string line)
    {
        lock (_lock)
        {
            console.Profile.Out.Writer.WriteLine(masker.Apply(line));
        }
    }

    public void WriteLines(IEnumerable<string> lines)
    {
        lock (_lock)
        {
            foreach (var line in lines)
            {
                console.Profile.Out.Writer.WriteLine(masker.Apply(line));
            }
        }
    }

    /// <summary>Renders a Spectre renderable; callers mask the text they put into it.</summary>
    public void Write(IRenderable renderable)
    {
        lock (_lock)
        {
            console.Write(renderable);
        }
    }

    /// <summary>A colored line, masked. Written directly rather than as a Spectre Text so long lines are never re-wrapped.</summary>
    public void WriteStyled(string text, Color color)
    {
        var masked = masker.Apply(text);
        var line = console.Profile.Capabilities.Ansi && console.Profile.Capabilities.ColorSystem != ColorSystem.NoColors
            ? $"\u001b[{AnsiColor(color)}m{masked}\u001b[0m"
            : masked;
        lock (_lock)
        {
            console.Profile.Out.Writer.WriteLine(line);
        }
    }

    private static int AnsiColor(Color color) =>
        color == Color.Red ? 31 : color == Color.Green ? 32 : color == Color.Yellow ? 33 : 90;

    public void Flush()
    {
        lock (_lock)
        {
            console.Profile.Out.Writer.Flush();
        }
    }
}
