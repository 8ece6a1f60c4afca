using System.Text;

namespace Pipeline.Docker;

/// <summary>
/// Puts an image reference or container name into a URL path. The engine routes "/images/{name}/json" with
/// slashes and colons taken literally ("127.0.0.1:5000/team/model:1"), so those stay; anything else is escaped.
/// </summary>
internal static class ResourceName
{
    public static string ForPath(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"The {what} name is empty: pass an ID, a name or an image reference", nameof(name));
        }

        var escaped = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or ':' or '@')
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(Uri.EscapeDataString(c.ToString()));
            }
        }

        return escaped.ToString();
    }
}
