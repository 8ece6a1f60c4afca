namespace Pipeline.Engine;

/// <summary>Finds the build root: the nearest ancestor (or self) containing <c>.nuke</c>.</summary>
internal static class RootDirectoryLocator
{
    public static AbsolutePath? Find(string startDirectory)
    {
        for (var directory = AbsolutePath.Create(Path.GetFullPath(startDirectory)); directory is not null; directory = directory.Parent)
        {
            var marker = directory / ".nuke";
            if (marker.DirectoryExists() || marker.FileExists())
            {
                return directory;
            }
        }

        return null;
    }
}
