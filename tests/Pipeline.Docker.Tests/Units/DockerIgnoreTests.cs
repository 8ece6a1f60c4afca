namespace Pipeline.Docker.Tests;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/guide.md", false)] // anchored at the context root, as the engine matches
    [InlineData("**/*.md", "docs/guide.md", true)]
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("**/bin", "bin/app.dll", true)]
    [InlineData("**/bin", "src/App/bin/Debug/app.dll", true)]
    [InlineData("**/bin", "src/binary.txt", false)]
    [InlineData("bin/", "bin/app.dll", true)]
    [InlineData("/obj", "obj/project.assets.json", true)]
    [InlineData("./obj", "src/obj", false)]
    [InlineData("data/*.csv", "data/train.csv", true)]
    [InlineData("data/*.csv", "data/raw/train.csv", false)]
    [InlineData("model?.onnx", "model1.onnx", true)]
    [InlineData("model?.onnx", "model12.onnx", false)]
    [InlineData("log[0-9].txt", "log7.txt", true)]
    [InlineData("log[0-9].txt", "logx.txt", false)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("docs/**", "docs/a/b/c.md", true)]
    [InlineData("notes.txt", "notes.txt.bak", false)]
    public void Pattern_matches_like_the_engine(string pattern, string path, bool excluded)
    {
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));
    }

    [Fact]
    public void Exceptions_reinclude_and_the_last_matching_line_wins()
    {
        var ignore = DockerIgnore.Parse("# docs stay out\n\n*.md\n!README.md\nREADME.md.*\n!*.keep\nsecret.keep\n");

        Assert.True(ignore.HasExceptions);
        Assert.True(ignore.IsExcluded("CHANGELOG.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("README.md.orig"));
        Assert.False(ignore.IsExcluded("cache.keep"));
        Assert.True(ignore.IsExcluded("secret.keep"));
        Assert.False(ignore.IsExcluded("# docs stay out"));
    }

    [Fact]
    public void No_rules_exclude_nothing()
    {
        Assert.False(DockerIgnore.None.IsExcluded("anything/at/all"));
        Assert.False(DockerIgnore.Parse("\n  \n# only a comment\n").HasExceptions);
    }

    [Fact]
    public void Unclosed_class_is_an_error_naming_the_pattern()
    {
        var error = Assert.Throws<FormatException>(() => DockerIgnore.Parse("log[0-9.txt"));

        Assert.Equal(".dockerignore pattern \"log[0-9.txt\" has a '[' without a closing ']'", error.Message);
    }
}
