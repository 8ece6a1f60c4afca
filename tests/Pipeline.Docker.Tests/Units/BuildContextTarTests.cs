using System.Formats.Tar;

namespace Pipeline.Docker.Tests;

public sealed class BuildContextTarTests : IDisposable
{
    private readonly TemporaryDirectory context = new();

    public void Dispose() => context.Dispose();

    [Fact]
    public async Task Directory_is_sent_in_order_without_ignored_paths_but_always_with_the_dockerfile()
    {
        Write("deploy/Dockerfile", "FROM scratch");
        Write(".dockerignore", "deploy\n**/bin\n*.log\n!keep.log\n");
        Write("app/model.onnx", "model");
        Write("app/bin/Debug/app.dll", "binary");
        Write("build.log", "log");
        Write("keep.log", "kept");
        File.CreateSymbolicLink(context.File("latest.onnx"), "app/model.onnx");
        File.SetUnixFileMode(context.File("app/model.onnx"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var entries = await ReadEntriesAsync("deploy/Dockerfile");

        Assert.Equal([".dockerignore", "app", "app/model.onnx", "deploy/Dockerfile", "keep.log", "latest.onnx"], entries.Select(entry => entry.Name.TrimEnd('/')));
        var link = entries.Single(entry => entry.Name == "latest.onnx");
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal("app/model.onnx", link.LinkName);
        var model = entries.Single(entry => entry.Name == "app/model.onnx");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, model.Mode);
        Assert.Equal(TarEntryType.Directory, entries.Single(entry => entry.Name.TrimEnd('/') == "app").EntryType);
    }

    [Fact]
    public async Task Dockerfile_in_an_ignored_directory_is_still_sent()
    {
        Write("deploy/Dockerfile", "FROM scratch");
        Write("deploy/secrets.env", "TOKEN=x");
        Write(".dockerignore", "deploy\n");

        var entries = await ReadEntriesAsync("deploy/Dockerfile");

        Assert.Equal([".dockerignore", "deploy/Dockerfile"], entries.Select(entry => entry.Name));
    }

    [Fact]
    public async Task Without_dockerignore_everything_is_sent()
    {
        Write("Dockerfile", "FROM scratch");
        Write("a/b/c.txt", "c");

        var entries = await ReadEntriesAsync("Dockerfile");

        Assert.Equal(["Dockerfile", "a", "a/b", "a/b/c.txt"], entries.Select(entry => entry.Name.TrimEnd('/')));
    }

    private async Task<List<TarEntry>> ReadEntriesAsync(string dockerfile)
    {
        using var tar = new MemoryStream();
        await BuildContextTar.WriteAsync(context.Path, dockerfile, tar, CancellationToken.None);
        tar.Position = 0;
        var entries = new List<TarEntry>();
        using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    private void Write(string relativePath, string text)
    {
        var path = context.File(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
