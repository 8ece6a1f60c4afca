using System.Runtime.InteropServices;

namespace Pipeline.OnnxRuntime.Native;

/// <summary>
/// Owns one native ORT object and calls its <c>ReleaseX</c> exactly once, after the last caller that
/// <c>DangerousAddRef</c>'d it is done, so disposing while another thread is inside <c>Run</c> is safe.
/// </summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<nint, void> _release;
    private readonly SafeHandle? _keptAlive;

    /// <param name="keptAlive">
    /// A handle this object needs (a session needs its environment). The caller must already have
    /// <c>DangerousAddRef</c>'d it; this handle gives that reference back when it is released.
    /// </param>
    public OrtHandle(nint handle, nint releaseFunction, SafeHandle? keptAlive = null) : base(0, ownsHandle: true)
    {
        _release = (delegate* unmanaged<nint, void>)releaseFunction;
        _keptAlive = keptAlive;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        _keptAlive?.DangerousRelease();
        return true;
    }
}
