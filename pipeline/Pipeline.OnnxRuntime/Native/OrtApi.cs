using System.Runtime.InteropServices;

namespace Pipeline.OnnxRuntime.Native;

/// <summary>
/// Typed calls into the OrtApi function table. Every status-returning call goes through <see cref="Check"/>, so a
/// failure always becomes an <see cref="OnnxRuntimeException"/> and its status is released exactly once.
/// </summary>
internal sealed unsafe partial class OrtApi
{
    private readonly void** _table;

    public OrtApi(void* table)
    {
        _table = (void**)table;
        nint allocator;
        Check(((delegate* unmanaged<nint*, nint>)_table[OrtSlot.GetAllocatorWithDefaultOptions])(&allocator));
        DefaultAllocator = allocator;
    }

    /// <summary>ORT's process-wide CPU allocator; it owns itself and must never be released.</summary>
    public nint DefaultAllocator { get; }

    /// <summary>The address of a <c>void ReleaseX(OrtX*)</c> entry, for handles that release themselves.</summary>
    public nint ReleaseFunction(int slot) => (nint)_table[slot];

    public void Check(nint status)
    {
        if (status != 0)
        {
            throw TakeError(status);
        }
    }

    /// <summary>Copies code and message out of a non-null status, releases it, and returns the exception.</summary>
    public OnnxRuntimeException TakeError(nint status)
    {
        var code = ((delegate* unmanaged<nint, int>)_table[OrtSlot.GetErrorCode])(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)_table[OrtSlot.GetErrorMessage])(status));
        ((delegate* unmanaged<nint, void>)_table[OrtSlot.ReleaseStatus])(status);
        return new OnnxRuntimeException((OrtErrorCode)code, message ?? "ONNX Runtime reported an error without a message.");
    }

    /// <summary>Copies a string ORT allocated with the default allocator, then frees it with that allocator.</summary>
    public string? TakeAllocatedString(nint value)
    {
        if (value == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(value);
        }
        finally
        {
            Free(value);
        }
    }

    public void Free(nint value) =>
        Check(((delegate* unmanaged<nint, nint, nint>)_table[OrtSlot.AllocatorFree])(DefaultAllocator, value));

    private delegate* unmanaged<nint, nint*, nint> OutPointerCall(int slot) =>
        (delegate* unmanaged<nint, nint*, nint>)_table[slot];

    /// <summary>Calls an <c>OrtStatus* F(const X* self, Y** out)</c> entry and returns <c>*out</c>.</summary>
    private nint GetPointer(int slot, nint self)
    {
        nint result;
        Check(OutPointerCall(slot)(self, &result));
        return result;
    }

    /// <summary>Calls an <c>OrtStatus* F(const X* self, OrtAllocator*, char** out)</c> entry and copies the string.</summary>
    private string GetAllocatedString(int slot, nint self)
    {
        nint value;
        Check(((delegate* unmanaged<nint, nint, nint*, nint>)_table[slot])(self, DefaultAllocator, &value));
        return TakeAllocatedString(value) ?? string.Empty;
    }
}
