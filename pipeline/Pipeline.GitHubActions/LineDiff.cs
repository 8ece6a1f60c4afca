using System.Text;

namespace Pipeline.GitHubActions;

/// <summary>A unified-style line diff (longest common subsequence), for telling people what a committed file lacks.</summary>
public static class LineDiff
{
    /// <summary>Lines prefixed with '-' (only in <paramref name="before"/>), '+' (only in <paramref name="after"/>) and
    /// ' ' (context), with <paramref name="context"/> unchanged lines around each change; empty when equal.</summary>
    public static string Unified(string before, string after, int context = 2)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var lines = new List<(char Mark, string Text, int Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
                lines.Add((' ', a[x++], y++ + 1));
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
                lines.Add(('-', a[x++], y + 1));
            else
                lines.Add(('+', b[y], ++y));
        }

        var output = new StringBuilder();
        var lastWritten = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Mark == ' ')
                continue;
            var from = Math.Max(Math.Max(0, i - context), lastWritten + 1);
            if (from > lastWritten + 1)
                output.Append($"@@ line {lines[from].Line} @@\n");
            var to = i;
            // Extend over following changes that sit within the context window.
            while (to + 1 < lines.Count && lines.Skip(to + 1).Take(context + 1).Any(l => l.Mark != ' '))
                to++;
            to = Math.Min(lines.Count - 1, to + context);
            for (var k = from; k <= to; k++)
                output.Append(lines[k].Mark).Append(lines[k].Text).Append('\n');
            lastWritten = to;
            i = to;
        }

        return output.ToString();
    }
}
