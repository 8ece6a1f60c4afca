namespace Pipeline.Stages;

/// <summary>The docker build context: Dockerfile, app/ (the published server, with libonnxruntime.so from the Microsoft.ML.OnnxRuntime package), model/model.onnx and model/drift-baseline.json.</summary>
public static class ContainerContext
{

    public static async Task<string> LayOutAsync(ContainerizeRequest request, string directory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        if (!File.Exists(Path.Combine(request.PublishedAppDirectory, "Serving.Server")))
            throw new FileNotFoundException($"{request.PublishedAppDirectory} holds no published Serving.Server; publish serving/Serving.Server first.");
        if (!File.Exists(Path.Combine(request.PublishedAppDirectory, "libonnxruntime.so")))
            throw new FileNotFoundException($"{request.PublishedAppDirectory} holds no libonnxruntime.so; publish serving/Serving.Server for linux-x64 (the Microsoft.ML.OnnxRuntime package brings it).");

        CopyDirectory(request.PublishedAppDirectory, Path.Combine(directory, "app"));
        Directory.CreateDirectory(Path.Combine(directory, "model"));
        File.Copy(request.Release.ModelPath, Path.Combine(directory, "model", "model.onnx"));
        // Beside the model, where the server looks for it by default (/models/drift-baseline.json).
        if (request.Release.DriftBaselinePath is { } baseline)
        {
            if (!File.Exists(baseline))
                throw new FileNotFoundException($"{baseline} (the drift baseline of {request.Release.Version} in release.json) is missing: run ./build.sh Validate again.", baseline);
            File.Copy(baseline, Path.Combine(directory, "model", Pipeline.Drift.DriftBaseline.FileName));
        }

        await using (var source = File.OpenRead(request.Dockerfile))
        await using (var target = File.Create(Path.Combine(directory, "Dockerfile")))
            await source.CopyToAsync(target, cancellationToken);
        return directory;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
