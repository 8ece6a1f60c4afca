using System.Text;

namespace Pipeline.Engine;

/// <summary>
/// For the duration of a run, routes Console.Out and Console.Error writes made inside a target body (for example by a
/// library) into that target's log, found through an AsyncLocal. Writes outside any target pass through unchanged.
/// Disposing restores the original writers; if another capture was installed on top meanwhile, this one just
/// becomes a pass-through so neither run loses output.
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    private readonly AsyncLocal<TextWriter?> _currentTarget = new();
    private readonly TextWriter _originalOut;
    private readonly TextWriter _originalError;
    private readonly TextWriter _installedOut;
    private readonly TextWriter _installedError;
    private volatile bool _disposed;

    public ConsoleCapture()
    {
        _originalOut = Console.Out;
        _originalError = Console.Error;
        Console.SetOut(new RoutingWriter(this, _originalOut));
        Console.SetError(new RoutingWriter(this, _originalError));
        // Console wraps writers in a synchronized one; remember what it actually installed.
        _installedOut = Console.Out;
        _installedError = Console.Error;
    }

    /// <summary>Until the returned scope is disposed, console writes in this async flow go to <paramref name="log"/>.</summary>
    public IDisposable Enter(TextWriter log)
    {
        var previous = _currentTarget.Value;
        _currentTarget.Value = log;
        return new Scope(() => _currentTarget.Value = previous);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (ReferenceEquals(Console.Out, _installedOut))
        {
            Console.SetOut(_originalOut);
        }

        if (ReferenceEquals(Console.Error, _installedError))
        {
            Console.SetError(_originalError);
        }
    }

    private TextWriter Route(TextWriter original) => _disposed ? original : _currentTarget.Value ?? original;

    private sealed class Scope(Action exit) : IDisposable
    {
        public void Dispose() => exit();
    }

    private sealed class RoutingWriter(ConsoleCapture capture, TextWriter original) : TextWriter
    {
        public override Encoding Encoding => original.Encoding;

        public override void Write(char value) => capture.Route(original).Write(value);

        public override void Write(string? value) => capture.Route(original).Write(value);

        public override void Write(char[] buffer, int index, int count) => capture.Route(original).Write(buffer, index, count);

        public override void Write(ReadOnlySpan<char> buffer) => capture.Route(original).Write(buffer);

        public override void WriteLine(string? value) => capture.Route(original).WriteLine(value);

        public override void WriteLine() => capture.Route(original).WriteLine();

        public override void Flush() => original.Flush();
    }
}
