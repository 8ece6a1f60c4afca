namespace Pipeline.Engine.Tests.Incremental;

public sealed class FileGlobTests : IDisposable
{
    private readonly TestRoot _root = new();
    private readonly AbsolutePath _rootPath;

    public FileGlobTests()
    {
        _rootPath = AbsolutePath.Create(_root.Directory);
        foreach (var file in new[] { "src/a.cs", "src/b.txt", "src/deep/er/c.cs", "data/x1.gz", "data/x22.gz", ".hidden/h.cs" })
        {
            _root.WriteFile(file, file);
        }
    }

    public void Dispose() => _root.Dispose();

    private string[] Expand(string pattern) => FileGlob.Expand(pattern, _rootPath).Select(path => path.RelativeTo(_rootPath)).ToArray();

    [Theory]
    [InlineData("src/**/*.cs", "src/a.cs src/deep/er/c.cs")]
    [InlineData("src/*.cs", "src/a.cs")]
    [InlineData("**/*.cs", ".hidden/h.cs src/a.cs src/deep/er/c.cs")]
    [InlineData("data/x?.gz", "data/x1.gz")]
    [InlineData("data/*.gz", "data/x1.gz data/x22.gz")]
    [InlineData("src/deep/**", "src/deep/er/c.cs")]
    [InlineData("src", "src/a.cs src/b.txt src/deep/er/c.cs")]
    [InlineData("src/b.txt", "src/b.txt")]
    [InlineData("missing/*.cs", "")]
    [InlineData("src/missing.cs", "")]
    public void Patterns_match_files_relative_to_the_root(string pattern, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), Expand(pattern));
    }

    [Fact]
    public void Absolute_patterns_are_allowed()
    {
        Assert.Equal(["data/x1.gz", "data/x22.gz"], Expand(Path.Combine(_root.Directory, "data", "*.gz")));
    }
}
