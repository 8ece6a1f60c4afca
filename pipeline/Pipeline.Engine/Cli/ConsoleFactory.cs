using Spectre.Console;

namespace Pipeline.Engine;

internal static class ConsoleFactory
{
    private const int RedirectedWidth = 160;

    /// <summary>A console on the process's standard output as it is now (before any capture is installed).</summary>
    public static IAnsiConsole ForProcess()
    {
        // Piped into a file or another program: plain text, as people grep it. GitHub Actions renders colors, so keep them there.
        if (Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("GITHUB_ACTIONS") != "true")
        {
            return ForWriter(Console.Out);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            // CI logs have no window: use wide tables rather than Spectre's 80-column fallback.
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>A colorless, non-interactive console writing plain text to <paramref name="writer"/>.</summary>
    public static IAnsiConsole ForWriter(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return console;
    }
}
