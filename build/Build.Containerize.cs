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

    Target Containerize => _ => _
        .Description("Builds the serving image around the gated model, pushes it to the local registry, runs it hardened and smoke-tests it")
        .DependsOn(Validate)
        .Consumes(Validate, "artifacts/gates/**")
        .Produces("artifacts/container/**")
        .Executes(async (ctx, ct) =>
        {
            var app = ContainerDirectory / "publish";
            await DotNet(ctx).PublishAsync(RootDirectory / "serving" / "Serving.Server" / "Serving.Server.csproj", app, "linux-x64", ct);
            using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Env));
            using var ort = new OrtEnvironment(OnnxRuntimeLibrary.Load(OnnxRuntimeLibraryPath));
            var login = ImageRegistryLogin;
            var image = await new ContainerizeStage(docker, new ProcessRunner(), ort, ctx.Log.WriteLine).RunAsync(new ContainerizeRequest(
                await GatedReleaseAsync(ct), app, OnnxRuntimeLibraryPath,
                RootDirectory / "serving" / "Dockerfile", ContainerDirectory, DatasetDirectory, ImageRepository,
                new Pipeline.Docker.RegistryCredentials(login.Username, login.Password, ImageRegistryAddress), DateTimeOffset.UtcNow), ct);
            ctx.AppendStepSummary($"### Containerize\n\n`{image.Reference}` ({image.SizeBytes / 1_000_000.0:F1} MB), smoke test on {image.SmokeSamples} images passed\n");
        });
}
