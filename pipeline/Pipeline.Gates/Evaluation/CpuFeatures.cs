namespace Pipeline.Gates;

/// <summary>
/// The x86-64 features that decide which int8 kernels ONNX Runtime picks, as the kernel reports them
/// (/proc/cpuinfo). Gates record them beside every measurement, because int8 accuracy and speed depend on them.
/// </summary>
public sealed record CpuFeatures(string ModelName, bool Avx2, bool Fma, bool Avx512F, bool Avx512BW, bool Avx512Vnni, bool AvxVnni)
{
    public const string CpuInfoPath = "/proc/cpuinfo";

    /// <summary>True when uint8 × int8 dot products are exact in int32 (vpdpbusd); false when pairs saturate in int16.</summary>
    public bool HasVnni => Avx512Vnni || AvxVnni;

    /// <summary>The kernel ONNX Runtime's MLAS uses for uint8 × int8 on this CPU, in words.</summary>
    public string Int8Kernel => HasVnni
        ? $"{(Avx512Vnni ? "AVX-512 VNNI" : "AVX-VNNI")} (vpdpbusd: exact int32 sums)"
        : Avx512BW
            ? "AVX-512BW without VNNI (vpmaddubsw: pairs of products saturate in int16)"
            : Avx2
                ? "AVX2 without VNNI (vpmaddubsw: pairs of products saturate in int16)"
                : "SSE (pairs of products widened to int16 before summing)";

    /// <summary>The flags in the order people look for them, e.g. "avx2 fma avx512f avx512bw avx512_vnni".</summary>
    public IReadOnlyList<string> Flags =>
    [
        .. Avx2 ? ["avx2"] : Array.Empty<string>(),
        .. Fma ? ["fma"] : Array.Empty<string>(),
        .. Avx512F ? ["avx512f"] : Array.Empty<string>(),
        .. Avx512BW ? ["avx512bw"] : Array.Empty<string>(),
        .. Avx512Vnni ? ["avx512_vnni"] : Array.Empty<string>(),
        .. AvxVnni ? ["avx_vnni"] : Array.Empty<string>(),
    ];

    public string Describe() => $"{ModelName}: {(Flags.Count == 0 ? "no AVX2" : string.Join(' ', Flags))}; int8 kernel {Int8Kernel}";

    /// <summary>Reads this machine's CPU. Off Linux (or without the file) every flag is false and the model name says why.</summary>
    public static CpuFeatures Detect(string path = CpuInfoPath) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : new CpuFeatures($"unknown ({path} not found)", false, false, false, false, false, false);

    /// <summary>Parses the first processor's "model name" and "flags" lines of /proc/cpuinfo text.</summary>
    public static CpuFeatures Parse(string cpuInfo)
    {
        string? Field(string name) => cpuInfo.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim() == name)
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();

        var flags = (Field("flags") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new CpuFeatures(Field("model name") ?? "unknown", flags.Contains("avx2"), flags.Contains("fma"), flags.Contains("avx512f"),
            flags.Contains("avx512bw"), flags.Contains("avx512_vnni"), flags.Contains("avx_vnni"));
    }
}
