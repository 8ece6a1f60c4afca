namespace TestSupport;

/// <summary>The repository the tests were built from: the nearest ancestor of the test binaries holding build.sh and global.json.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && File.Exists(Path.Combine(dir.FullName, "global.json")))
                return dir.FullName;
        throw new InvalidOperationException("The tests run from inside the repository; no build.sh and global.json found above " + AppContext.BaseDirectory);
    }
}
