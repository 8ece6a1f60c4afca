using System.Text;

namespace Pipeline.OnnxRuntime.Native;

/// <summary>On Linux every <c>char*</c> ORT takes is NUL-terminated UTF-8, model paths included.</summary>
internal static class NativeUtf8
{
    public static byte[] NullTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
