using System.Text.Json;
using Docker.DotNet.Models;

namespace Pipeline.Docker.Tests;

public sealed class BuildOutputTests
{
    // Recorded from dockerd 20.10 (classic builder): step lines arrive without their newline, which follows in
    // its own message; one message may hold two lines; standard error comes wrapped in colour codes.
    private const string FailedBuild = """
        {"stream":"Step 1/3 : FROM base:1"}
        {"stream":"\n"}
        {"stream":" ---\u003e dc470b184ecc\n"}
        {"stream":"Step 2/3 : RUN echo one \u0026\u0026 echo two"}
        {"stream":"\n"}
        {"stream":" ---\u003e Running in ddffd6895f7e\n"}
        {"stream":"one\ntwo\n"}
        {"stream":"Removing intermediate container ddffd6895f7e\n"}
        {"stream":" ---\u003e ce1cd03750c9\n"}
        {"stream":"Step 3/3 : RUN echo out1 \u0026\u0026 echo err1 \u003e\u00262 \u0026\u0026 exit 3"}
        {"stream":"\n"}
        {"stream":" ---\u003e Running in 97f7d07fb211\n"}
        {"stream":"out1\n"}
        {"stream":"\u001b[91merr1\n\u001b[0m"}
        {"stream":"Removing intermediate container 97f7d07fb211\n"}
        {"errorDetail":{"code":3,"message":"The command '/bin/sh -c echo out1 \u0026\u0026 echo err1 \u003e\u00262 \u0026\u0026 exit 3' returned a non-zero code: 3"},"error":"The command '/bin/sh -c echo out1 \u0026\u0026 echo err1 \u003e\u00262 \u0026\u0026 exit 3' returned a non-zero code: 3"}
        """;

    [Fact]
    public void Fragments_become_whole_lines_and_the_failure_names_the_step_and_its_output()
    {
        var progress = new ProgressLog<BuildProgress>();
        var output = new BuildOutput(progress);

        foreach (var line in FailedBuild.Split('\n'))
        {
            output.Accept(Message(line));
        }

        var error = Assert.Throws<DockerBuildException>(output.Complete);
        Assert.Equal("Step 3/3 : RUN echo out1 && echo err1 >&2 && exit 3", error.FailedStep);
        Assert.Equal(["out1", "err1"], error.OutputTail);
        Assert.Equal(3, error.ExitCode);
        Assert.Equal(
            [
                "Step 1/3 : FROM base:1", " ---> dc470b184ecc", "Step 2/3 : RUN echo one && echo two", " ---> Running in ddffd6895f7e",
                "one", "two", "Removing intermediate container ddffd6895f7e", " ---> ce1cd03750c9",
                "Step 3/3 : RUN echo out1 && echo err1 >&2 && exit 3", " ---> Running in 97f7d07fb211", "out1", "err1",
                "Removing intermediate container 97f7d07fb211",
            ],
            progress.Items.Where(item => item.Kind == BuildProgressKind.Output).Select(item => item.Text));
    }

    [Fact]
    public void Only_the_last_lines_of_a_long_step_are_kept()
    {
        var output = new BuildOutput(null, tailLines: 3);
        output.Accept(Message("""{"stream":"Step 1/1 : RUN seq 10\n1\n2\n3\n4\n5\n"}"""));
        output.Accept(Message("""{"errorDetail":{"message":"returned a non-zero code: 1"},"error":"returned a non-zero code: 1"}"""));

        var error = Assert.Throws<DockerBuildException>(output.Complete);

        Assert.Equal(["3", "4", "5"], error.OutputTail);
        Assert.Null(error.ExitCode);
    }

    [Fact]
    public void Success_reports_the_image_id_and_a_last_line_without_newline()
    {
        var progress = new ProgressLog<BuildProgress>();
        var output = new BuildOutput(progress);
        output.Accept(Message("""{"aux":{"ID":"sha256:d3922682363d72d8516b75f55f757b2472c3204ccf6aa994287cf45ca9c7413c"}}"""));
        output.Accept(Message("""{"stream":"Successfully built d3922682363d\n"}"""));
        output.Accept(Message("""{"stream":"Successfully tagged app:1"}"""));

        output.Complete();

        Assert.Equal("sha256:d3922682363d72d8516b75f55f757b2472c3204ccf6aa994287cf45ca9c7413c", output.ImageId);
        Assert.Equal("d3922682363d", output.ShortImageId);
        Assert.Equal(new BuildProgress(BuildProgressKind.Output, "Successfully tagged app:1"), progress.Items[^1]);
    }

    [Fact]
    public void Pull_status_is_reported_as_status_lines()
    {
        var progress = new ProgressLog<BuildProgress>();
        var output = new BuildOutput(progress);

        output.Accept(Message("""{"status":"Downloading","progressDetail":{"current":1,"total":2},"progress":"[==>   ]","id":"a1b2"}"""));

        Assert.Equal([new BuildProgress(BuildProgressKind.Status, "a1b2: Downloading 1/2")], progress.Items);
    }

    // As Docker.DotNet reads each message of the stream.
    private static JSONMessage Message(string json) => JsonSerializer.Deserialize<JSONMessage>(json)!;
}
