namespace Pipeline.Engine;

/// <summary>
/// The code a .NET project is built from, derived rather than listed: the project and every project it references
/// (recursively), each one's compiled sources (the SDK's <c>**/*.cs</c> without bin/ and obj/ unless disabled, plus
/// explicit Compile, Protobuf, EmbeddedResource and AdditionalFiles items), the project files themselves, and the files
/// that shape every compilation: Directory.Build.props/.targets and Directory.Packages.props from the project's folder up
/// to the root, and the root's global.json. A new file or a new ProjectReference is covered without editing a list.
/// </summary>
public static class ProjectClosure
{
    private static readonly string[] DirectoryWideFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];
    private static readonly string[] SdkOutputFolders = ["bin", "obj"];

    /// <summary>Every project reachable from <paramref name="projects"/> by ProjectReference, each once, in discovery order.</summary>
    internal static IReadOnlyList<ProjectFile> Projects(IEnumerable<string> projects, AbsolutePath root, string target)
    {
        var found = new List<ProjectFile>();
        var seen = new HashSet<AbsolutePath>();
        var pending = new Stack<(AbsolutePath Path, string ReferencedBy)>(
            projects.Reverse().Select(project => (AbsolutePath.Resolve(project, root), $"target {target}'s CodeInputs")));
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next.Path))
            {
                continue;
            }

            if (!next.Path.FileExists())
            {
                throw new BuildConfigurationException(
                    $"Project {FileHasher.Key(next.Path, root)}, named in {next.ReferencedBy}, does not exist; fix the path (relative to the root for CodeInputs, to the project file for a ProjectReference).");
            }

            var project = ProjectFile.Load(next.Path);
            found.Add(project);
            foreach (var reference in project.References.Reverse())
            {
                pending.Push((reference, $"a ProjectReference of {FileHasher.Key(next.Path, root)}"));
            }
        }

        return found;
    }

    /// <summary>The code input files of a target's <see cref="TargetDescriptor.CodeInputs"/>, sorted and distinct.</summary>
    public static IReadOnlyList<AbsolutePath> Files(TargetDescriptor target, AbsolutePath root)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Files(target.CodeInputs, root, target.Name);
    }

    /// <summary>The files whose content decides what <paramref name="projects"/> compile to, sorted and distinct.</summary>
    internal static IReadOnlyList<AbsolutePath> Files(IEnumerable<string> projects, AbsolutePath root, string target)
    {
        var files = new HashSet<AbsolutePath>();
        foreach (var project in Projects(projects, root, target))
        {
            files.Add(project.Path);
            if (project.UsesDefaultCompileItems)
            {
                files.UnionWith(DefaultCompileItems(project.Directory));
            }

            files.UnionWith(project.SourcePatterns.SelectMany(pattern => FileGlob.Expand(pattern, project.Directory)));
            files.UnionWith(DirectoryWideInputs(project.Directory, root));
        }

        if ((root / "global.json").FileExists())
        {
            files.Add(root / "global.json");
        }

        return files.OrderBy(file => file.ToString(), StringComparer.Ordinal).ToArray();
    }

    // The SDK's default Compile glob: **/*.cs below the project folder except its own bin/ and obj/, which are not walked at all.
    private static IEnumerable<AbsolutePath> DefaultCompileItems(AbsolutePath directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        var top = System.IO.Directory.EnumerateFiles(directory, "*.cs");
        var below = System.IO.Directory.EnumerateDirectories(directory)
            .Where(folder => !SdkOutputFolders.Contains(System.IO.Path.GetFileName(folder), StringComparer.OrdinalIgnoreCase))
            .SelectMany(folder => System.IO.Directory.EnumerateFiles(folder, "*.cs", options));
        return top.Concat(below).Select(AbsolutePath.Create);
    }

    private static IEnumerable<AbsolutePath> DirectoryWideInputs(AbsolutePath directory, AbsolutePath root)
    {
        for (AbsolutePath? folder = directory; folder is not null && folder.IsUnder(root); folder = folder.Parent)
        {
            foreach (var name in DirectoryWideFiles)
            {
                if ((folder / name).FileExists())
                {
                    yield return folder / name;
                }
            }
        }
    }
}
