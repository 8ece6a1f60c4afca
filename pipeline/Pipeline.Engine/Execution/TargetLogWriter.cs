using System.Text;

namespace Pipeline.Engine;

/// <summary>
/// A target's log: buffers characters until a newline, then hands the whole line on. Thread-safe, because target
/// bodies may log from several threads at once.
/// </summary>
internal sealed class TargetLogWriter(string target, Action<string, string> onLine) : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _lock = new();

    public string Target => target;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var c in value)
            {
                Append(c);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(buffer.ToString());

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    /// <summary>Emits a trailing partial line, if any.</summary>
    public override void Flush()
    {
        lock (_lock)
        {
            if (_pending.Length > 0)
            {
                EmitPending();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        Flush();
        base.Dispose(disposing);
    }

    private void Append(char c)
    {
        if (c == '\n')
        {
            EmitPending();
        }
        else if (c != '\r')
        {
            _pending.Append(c);
        }
    }

    private void EmitPending()
    {
        var line = _pending.ToString();
        _pending.Clear();
        onLine(target, line);
    }
}
