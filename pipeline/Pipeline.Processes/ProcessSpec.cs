namespace Pipeline.Processes;

/// <summary>A program, its arguments (passed as-is, never through a shell) and optional extras.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public ProcessSpec(string fileName, params string[] arguments)
        : this(fileName, (IReadOnlyList<string>)arguments)
    {
    }

    /// <summary>Variables added to (or replacing those of) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Text written to the program's standard input before it is closed (e.g. a password); never logged.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Called with each line of standard output and standard error as it arrives (for progress).</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>The command as a user would type it in a POSIX shell, for messages.</summary>
    public string CommandLine =>
        string.Join(' ', new[] { FileName }.Concat(Arguments).Select(ShellQuote));

    public override string ToString() => CommandLine;

    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@%+,".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
