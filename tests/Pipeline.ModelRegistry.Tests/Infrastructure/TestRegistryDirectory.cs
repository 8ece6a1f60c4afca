using System.Security.Cryptography;
using System.Text;

namespace Pipeline.ModelRegistry.Tests;

/// <summary>A temporary directory holding a registry root and the model files to register, deleted afterwards.</summary>
public sealed class TestRegistryDirectory : IDisposable
{
    public TestRegistryDirectory()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pipeline-model-registry-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string RegistryRoot => Path.Combine(Directory, "registry");

    public ManualClock Clock { get; } = new(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));

    public FileSystemModelRegistry Open(ModelRegistryOptions? options = null) => new(RegistryRoot, Clock, options);

    /// <summary>A registry that runs <paramref name="beforeCommit"/> with each target path after the file's content is
    /// on disk and before it is renamed into place.</summary>
    public FileSystemModelRegistry OpenWithBeforeCommit(Action<string> beforeCommit) =>
        new(RegistryRoot, Clock, new ModelRegistryOptions(), beforeCommit);

    public FileSystemModelRegistry OpenFailingBeforeCommit(Func<string, bool> failsFor) =>
        OpenWithBeforeCommit(target =>
        {
            if (failsFor(target)) throw new SimulatedCrashException(target);
        });

    /// <summary>Writes a stand-in model file whose bytes depend only on <paramref name="seed"/>; the registry treats
    /// models as opaque bytes, so distinct seeds give distinct content-addressed blobs.</summary>
    public string WriteModel(string seed, int size = 4096)
    {
        var path = Path.Combine(Directory, "models", seed + ".onnx");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[size];
        var block = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        for (var i = 0; i < size; i++) bytes[i] = (byte)(block[i % block.Length] ^ (i * 31));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string LockPath => PathIn("registry.lock");

    public string PathIn(params string[] parts) => Path.Combine([RegistryRoot, .. parts]);

    public string[] TemporaryFilesUnder(string relativeDirectory)
    {
        var directory = PathIn(relativeDirectory);
        return System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories)
            : [];
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process started by a test may still be exiting; the OS temp directory is cleaned eventually.
        }
    }
}

public sealed class SimulatedCrashException(string target) : Exception($"simulated crash before renaming into {target}");
