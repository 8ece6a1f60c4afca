namespace Pipeline.Stages;

/// <summary>Docker tags from model versions and revisions: tags allow [A-Za-z0-9_.-], at most 128 characters.</summary>
public static class ImageTags
{
    public static string FromVersion(string version) => Sanitize(version);

    public static string FromRevision(string revision) => "rev-" + Sanitize(revision.Length > 12 ? revision[..12] : revision);

    private static string Sanitize(string text)
    {
        var tag = new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-').ToArray()).TrimStart('.', '-');
        return tag.Length == 0 ? "unknown" : tag[..Math.Min(128, tag.Length)];
    }
}
