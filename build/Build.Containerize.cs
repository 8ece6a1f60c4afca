using Pipeline.Docker;
using Pipeline.Engine;
using Pipeline.OnnxRuntime;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using Pipeline.Stages;

/// <summary>The serving image: publish the server, build and push the image, smoke-test it.</summary>
sealed partial class Build
{
    // ---- Serving image --------------------------------------------------------------------------------------------

    AbsolutePath ContainerDirectory => ArtifactsDirectory / "container";
    [Parameter("Registry (host[:port]) the serving image is pushed to and deployed from, with --registry-user/--registry-password " +
               "(default: the local registry on 127.0.0.1:--registry-port; a real cluster needs one it can reach)")]
    readonly string? ImageRegistry;

    string ImageRegistryAddress => string.IsNullOrWhiteSpace(ImageRegistry) ? ImageRegistryOptions.Address : ImageRegistry.Trim().TrimEnd('/');
    string ImageRepository => $"{ImageRegistryAddress}/{ModelName}-serving";

    AbsolutePath PublishedServerDirectory => ArtifactsDirectory / "server";

    // Incremental: a no-change Deploy must not pay for dotnet publish (seconds even when msbuild has nothing to do).
    // The inputs are what the server is built from; the published files are the output, so deleting one reruns it.
    Target PublishServer => _ => _
        .Description("Publishes the serving app (self-contained, trimmed, linux-x64) to artifacts/server for the image")
        .CodeInputs("serving/Serving.Server/Serving.Server.csproj")
        .Outputs("artifacts/server/**")
        .Produces("artifacts/server/**")
        .Executes(async (ctx, ct) =>
            await DotNet(ctx).PublishAsync(RootDirectory / "serving" / "Serving.Server" / "Serving.Server.csproj", PublishedServerDirectory, "linux-x64", ct));

    Target Containerize => _ => _
        .Description("Builds the serving image around the gated model (or reuses the one built for the same model and server), pushes it to the local registry, runs it hardened and smoke-tests it")
        .DependsOn(Validate, PublishServer)
        .Consumes(Validate, "artifacts/gates/**")
        .Consumes(PublishServer, "artifacts/server/**")
        .Produces("artifacts/container/**")
        .Executes(async (ctx, ct) =>
        {
            using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Env));
            var ort = new OrtEnvironment();
            var image = await new ContainerizeStage(docker, new ProcessRunner(), ort, ctx.Log.WriteLine).RunAsync(new ContainerizeRequest(
                await GatedReleaseAsync(ct), PublishedServerDirectory,
                RootDirectory / "serving" / "Dockerfile", ContainerDirectory, ModelData, ImageRepository,
                ImageRegistryCredentials, DateTimeOffset.UtcNow) { ApiKeys = await ServingKeyMountAsync(ct) }, ct);
            ctx.AppendStepSummary($"### Containerize\n\n`{image.Reference}` ({image.SizeBytes / 1_000_000.0:F1} MB){(image.Reused ? ", reused (same model and server build)" : "")}, " +
                                  $"smoke test on {image.SmokeSamples} test rows passed\n");
        });
}
