using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.OnnxRuntime.Native;

/// <summary>
/// The model's input and output names as NUL-terminated UTF-8, encoded once per session. The arrays live on the
/// pinned object heap, so their addresses are stable and nothing needs freeing; a run that is still using them
/// keeps the session, and so this table, reachable.
/// </summary>
internal sealed unsafe class NativeNameTable
{
    private readonly Dictionary<string, byte[]> _names = new(StringComparer.Ordinal);

    public NativeNameTable(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            _names.TryAdd(name, Encode(name));
        }
    }

    /// <summary>
    /// The native name. A name the model does not have is still encoded (ORT reports the mistake in its own words);
    /// that array is added to <paramref name="keepAlive"/>, which the caller holds until the native call returns.
    /// </summary>
    public nint Get(string name, ref List<byte[]>? keepAlive)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_names.TryGetValue(name, out var bytes))
        {
            bytes = Encode(name);
            (keepAlive ??= []).Add(bytes);
        }

        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bytes));
    }

    private static byte[] Encode(string name)
    {
        var encoded = NativeUtf8.NullTerminated(name);
        var pinned = GC.AllocateUninitializedArray<byte>(encoded.Length, pinned: true);
        encoded.CopyTo(pinned, 0);
        return pinned;
    }
}
