using System.Text;

namespace Pipeline.Engine;

/// <summary>Derives the command-line and environment names of a parameter from its member name.</summary>
internal static class ParameterNaming
{
    /// <summary><c>MinAccuracy</c> → <c>min-accuracy</c>; <c>OnnxURLPath</c> → <c>onnx-url-path</c>.</summary>
    public static string ToKebabCase(string name) => string.Join('-', SplitWords(name)).ToLowerInvariant();

    /// <summary><c>MinAccuracy</c> → <c>MIN_ACCURACY</c>.</summary>
    public static string ToUpperSnakeCase(string name) => string.Join('_', SplitWords(name)).ToUpperInvariant();

    public static IReadOnlyList<string> SplitWords(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var trimmed = name.TrimStart('_');
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c is '_' or '-')
            {
                Flush();
                continue;
            }

            if (current.Length > 0 && char.IsUpper(c))
            {
                var previous = trimmed[i - 1];
                var startsWord = char.IsLower(previous) || char.IsDigit(previous) ||
                                 (char.IsUpper(previous) && i + 1 < trimmed.Length && char.IsLower(trimmed[i + 1]));
                if (startsWord)
                {
                    Flush();
                }
            }

            current.Append(c);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
