using System.Xml;
using System.Xml.Linq;

namespace Pipeline.Engine;

/// <summary>
/// What one .NET project file says about the code it compiles: its ProjectReferences, whether the SDK's default
/// <c>**/*.cs</c> glob applies, and the files its explicit items name (linked sources, .proto files, resources).
/// Read as plain XML, without MSBuild: a value that needs MSBuild evaluation (<c>$(...)</c>) is an error, never a silent gap.
/// </summary>
internal sealed record ProjectFile(AbsolutePath Path, IReadOnlyList<AbsolutePath> References, bool UsesDefaultCompileItems, IReadOnlyList<string> SourcePatterns)
{
    // Items whose files the compiler reads. None/Content are copied, not compiled, so they do not change the assembly.
    private static readonly string[] SourceItems = ["Compile", "Protobuf", "EmbeddedResource", "AdditionalFiles"];

    public AbsolutePath Directory => Path.Parent!;

    public static ProjectFile Load(AbsolutePath path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path.ToString());
        }
        catch (XmlException exception)
        {
            throw new BuildConfigurationException($"Project {path} is not valid XML ({exception.Message}); fix the file so its code inputs can be read.");
        }

        var directory = path.Parent!;
        var elements = document.Descendants().ToArray();
        var references = elements.Where(element => element.Name.LocalName == "ProjectReference")
            .SelectMany(element => Includes(element, path))
            .Select(include => AbsolutePath.Resolve(include, directory))
            .ToArray();
        var sources = elements.Where(element => SourceItems.Contains(element.Name.LocalName) && element.Parent?.Name.LocalName == "ItemGroup")
            .SelectMany(element => Includes(element, path))
            .ToArray();
        return new ProjectFile(path, references, IsEnabled(elements, "EnableDefaultItems") && IsEnabled(elements, "EnableDefaultCompileItems"), sources);
    }

    // The last assignment wins, as in MSBuild; anything but "false" leaves the SDK default (true).
    private static bool IsEnabled(XElement[] elements, string property) =>
        elements.LastOrDefault(element => element.Name.LocalName == property && element.Parent?.Name.LocalName == "PropertyGroup") is not { } last
        || !string.Equals(last.Value.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Includes(XElement item, AbsolutePath project)
    {
        var include = item.Attribute("Include")?.Value;
        if (include is null)
        {
            return [];
        }

        if (include.Contains("$(", StringComparison.Ordinal) || include.Contains("@(", StringComparison.Ordinal))
        {
            throw new BuildConfigurationException(
                $"Project {project}: <{item.Name.LocalName} Include=\"{include}\"> needs MSBuild evaluation, so the build cannot tell which files it " +
                "names; write the path relative to the project file (globs are fine).");
        }

        return include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part => part.Replace('\\', '/'));
    }
}
