namespace Pipeline.Prerequisites;

/// <summary>
/// Exactly which ONNX Runtime native library the pipeline uses and where it comes from.
/// Upgrading ONNX Runtime means editing <see cref="Current"/> and nothing else.
/// </summary>
/// <param name="Version">ONNX Runtime version; also part of the install directory.</param>
/// <param name="NpmPackage">The npm package that ships the prebuilt library.</param>
/// <param name="TarballEntry">Path of the library inside the package tarball.</param>
/// <param name="TarballSha256">SHA-256 of the tarball npm downloads.</param>
/// <param name="LibrarySha256">SHA-256 of the extracted library.</param>
/// <param name="RuntimeIdentifier">Platform of the library; also part of the install directory.</param>
public sealed record OnnxRuntimePin(
    string Version,
    string NpmPackage,
    string TarballEntry,
    string TarballSha256,
    string LibrarySha256,
    string RuntimeIdentifier)
{
    // Cross-check for the tarball hash: `npm view onnxruntime-node@1.30.0 dist.shasum`
    // prints the SHA-1 8d4c4a75f31088ec846f08cccb62f3272a7bf44a.
    public static OnnxRuntimePin Current { get; } = new(
        Version: "1.30.0",
        NpmPackage: "onnxruntime-node",
        TarballEntry: "package/bin/napi-v6/linux/x64/libonnxruntime.so.1",
        TarballSha256: "6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75",
        LibrarySha256: "ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23",
        RuntimeIdentifier: "linux-x64");

    /// <summary>What `npm pack` is given, e.g. onnxruntime-node@1.30.0.</summary>
    public string NpmSpec => $"{NpmPackage}@{Version}";

    /// <summary>File name of the installed library (the tarball entry's last segment).</summary>
    public string LibraryFileName => TarballEntry[(TarballEntry.LastIndexOf('/') + 1)..];
}
