using System.Text;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>
/// An exec plugin's arguments quoted so that each reaches the plugin as one: KubernetesClient joins them with spaces
/// into ProcessStartInfo.Arguments, which .NET splits again on white space and quotes (the Windows rules, on every OS).
/// </summary>
internal static class ExecArguments
{
    public static IList<string>? Quoted(IList<string>? arguments) => arguments?.Select(Quote).ToList();

    public static string Quote(string argument)
    {
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"')) return argument;
        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            // Backslashes count only before a quote: doubled there, and the quote escaped.
            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
