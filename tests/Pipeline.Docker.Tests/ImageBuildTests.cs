using System.Formats.Tar;
using System.Text;

namespace Pipeline.Docker.Tests;

[Collection(DockerEngineCollection.Name)]
public sealed class ImageBuildTests(DockerEngineFixture engine) : IDisposable
{
    private readonly TemporaryDirectory context = new();

    public void Dispose() => context.Dispose();

    [Fact]
    public async Task Directory_build_streams_its_steps_applies_args_and_labels_and_honours_dockerignore()
    {
        Write("Dockerfile", $"""
            FROM {engine.BaseImage}
            ARG GREETING=hello
            LABEL org.example.stage="test"
            COPY . /ctx/
            RUN echo "greeting: $GREETING" && find /ctx | sort
            """);
        Write(".dockerignore", "# build outputs and notes stay out\n*.md\n**/bin\n!keep.md\n");
        foreach (var file in new[] { "app.txt", "notes.md", "keep.md", "docs/guide.md", "bin/tool.dll", "src/bin/lib.dll", "src/main.txt" })
        {
            Write(file, file);
        }

        var tag = engine.UniqueName("built") + ":1";
        var progress = new ProgressLog<BuildProgress>();

        var imageId = await engine.Client.BuildImageAsync(
            new BuildRequest(BuildContext.FromDirectory(context.Path))
            {
                Tags = [tag],
                BuildArgs = new Dictionary<string, string> { ["GREETING"] = "from-test" },
                Labels = new Dictionary<string, string> { ["org.example.request"] = "yes" },
            },
            progress,
            CancellationToken.None);

        var output = progress.Items.Where(item => item.Kind == BuildProgressKind.Output).Select(item => item.Text).ToList();
        // The request's labels are one more step the engine adds at the end.
        Assert.Equal($"Step 1/6 : FROM {engine.BaseImage}", output[0]);
        Assert.Contains("greeting: from-test", output);
        var copied = output.Where(line => line.StartsWith("/ctx/", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["/ctx/.dockerignore", "/ctx/Dockerfile", "/ctx/app.txt", "/ctx/docs", "/ctx/docs/guide.md", "/ctx/keep.md", "/ctx/src", "/ctx/src/main.txt"],
            copied);
        Assert.Equal(new BuildProgress(BuildProgressKind.ImageId, imageId), progress.Items.Single(item => item.Kind == BuildProgressKind.ImageId));

        var image = await engine.Client.InspectImageAsync(tag, CancellationToken.None);
        Assert.Equal(imageId, image.Id);
        Assert.StartsWith("sha256:", imageId);
        Assert.Contains(tag, image.RepoTags);
        Assert.Equal("test", image.Labels["org.example.stage"]);
        Assert.Equal("yes", image.Labels["org.example.request"]);
        Assert.True(image.SizeBytes > 1_000_000, $"size {image.SizeBytes}: busybox alone is over 1 MB");
        Assert.True(image.Created > DateTimeOffset.UtcNow.AddMinutes(-10));
    }

    [Fact]
    public async Task Tar_stream_context_with_a_dockerfile_elsewhere_builds_without_cache()
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await AddAsync(writer, "build/Dockerfile.custom", $"FROM {engine.BaseImage}\nCOPY payload.txt /payload.txt\nRUN cat /payload.txt\n");
            await AddAsync(writer, "payload.txt", "payload from a tar stream\n");
        }

        tar.Position = 0;
        var progress = new ProgressLog<BuildProgress>();

        var imageId = await engine.Client.BuildImageAsync(
            new BuildRequest(BuildContext.FromTar(tar)) { Dockerfile = "build/Dockerfile.custom", NoCache = true },
            progress,
            CancellationToken.None);

        Assert.Contains(new BuildProgress(BuildProgressKind.Output, "payload from a tar stream"), progress.Items);
        Assert.DoesNotContain(progress.Items, item => item.Text.Contains("Using cache", StringComparison.Ordinal));
        Assert.Equal(imageId, (await engine.Client.InspectImageAsync(imageId, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Failing_step_throws_naming_the_step_and_its_last_output()
    {
        Write("Dockerfile", $"""
            FROM {engine.BaseImage}
            LABEL org.example.failing=yes
            RUN echo first-step-output
            RUN echo out-before-failure && echo err-before-failure >&2 && exit 3
            """);
        var progress = new ProgressLog<BuildProgress>();

        var error = await Assert.ThrowsAsync<DockerBuildException>(() => engine.Client.BuildImageAsync(
            new BuildRequest(BuildContext.FromDirectory(context.Path)) { Tags = [engine.UniqueName("failing") + ":1"] },
            progress,
            CancellationToken.None));

        const string step = "Step 4/4 : RUN echo out-before-failure && echo err-before-failure >&2 && exit 3";
        Assert.Equal(step, error.FailedStep);
        // Standard error arrives wrapped in colour codes; they are gone, and the engine's bookkeeping lines too.
        // The engine reads standard output and error separately, so their relative order may vary.
        Assert.Equal(["err-before-failure", "out-before-failure"], error.OutputTail.Order());
        Assert.Equal(3, error.ExitCode);
        Assert.StartsWith($"Docker build failed at {step}: The command '/bin/sh -c echo out-before-failure", error.Message);
        Assert.Contains($"returned a non-zero code: 3. Last output of the step:{Environment.NewLine}  ", error.Message);
        Assert.EndsWith(string.Join(Environment.NewLine + "  ", error.OutputTail), error.Message);
        Assert.Equal(BuildProgressKind.Error, progress.Items[^1].Kind);
    }

    [Fact]
    public async Task Dockerfile_syntax_error_fails_before_the_first_step()
    {
        Write("Dockerfile", $"FROM {engine.BaseImage}\nRUNN echo typo\n");

        var error = await Assert.ThrowsAsync<DockerBuildException>(() => engine.Client.BuildImageAsync(
            new BuildRequest(BuildContext.FromDirectory(context.Path)), null, CancellationToken.None));

        Assert.Null(error.FailedStep);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(
            "Docker build failed before its first step: dockerfile parse error line 2: unknown instruction: RUNN",
            error.Message);
    }

    [Fact]
    public async Task Missing_dockerfile_is_named_before_anything_is_sent()
    {
        Write("app.txt", "no Dockerfile here");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => engine.Client.BuildImageAsync(
            new BuildRequest(BuildContext.FromDirectory(context.Path)) { Dockerfile = "deploy/Dockerfile" }, null, CancellationToken.None));

        Assert.Equal($"The Dockerfile 'deploy/Dockerfile' is not in the build context {context.Path}", error.Message);
    }

    [Fact]
    public async Task Socket_in_the_context_fails_naming_it_and_the_fix()
    {
        Write("Dockerfile", $"FROM {engine.BaseImage}\n");
        var socketPath = context.File("app.sock");
        using var socket = new System.Net.Sockets.Socket(
            System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));

        var error = await Assert.ThrowsAsync<IOException>(() => engine.Client.BuildImageAsync(
            new BuildRequest(BuildContext.FromDirectory(context.Path)), null, CancellationToken.None));

        Assert.StartsWith($"Cannot add {socketPath} to the build context (", error.Message);
        Assert.EndsWith("): exclude it in .dockerignore or remove it", error.Message);
    }

    private void Write(string relativePath, string text)
    {
        var path = context.File(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static async Task AddAsync(TarWriter writer, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await writer.WriteEntryAsync(entry);
    }
}
