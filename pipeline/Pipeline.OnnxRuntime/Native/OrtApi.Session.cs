namespace Pipeline.OnnxRuntime.Native;

internal sealed unsafe partial class OrtApi
{
    public nint CreateEnv(int logLevel, string logId)
    {
        var id = NativeUtf8.NullTerminated(logId);
        nint env;
        fixed (byte* idPointer = id)
        {
            Check(((delegate* unmanaged<int, byte*, nint*, nint>)_table[OrtSlot.CreateEnv])(logLevel, idPointer, &env));
        }

        return env;
    }

    public nint CreateSessionOptions()
    {
        nint options;
        Check(((delegate* unmanaged<nint*, nint>)_table[OrtSlot.CreateSessionOptions])(&options));
        return options;
    }

    /// <summary>For the setters that take the options and one C <c>int</c> or enum.</summary>
    public void SetSessionOption(int slot, nint options, int value) =>
        Check(((delegate* unmanaged<nint, int, nint>)_table[slot])(options, value));

    public void AddSessionConfigEntry(nint options, string key, string value)
    {
        var keyBytes = NativeUtf8.NullTerminated(key);
        var valueBytes = NativeUtf8.NullTerminated(value);
        fixed (byte* k = keyBytes, v = valueBytes)
        {
            Check(((delegate* unmanaged<nint, byte*, byte*, nint>)_table[OrtSlot.AddSessionConfigEntry])(options, k, v));
        }
    }

    public nint CreateSession(nint env, string modelPath, nint options)
    {
        var path = NativeUtf8.NullTerminated(modelPath);
        nint session;
        fixed (byte* p = path)
        {
            Check(((delegate* unmanaged<nint, byte*, nint, nint*, nint>)_table[OrtSlot.CreateSession])(env, p, options, &session));
        }

        return session;
    }

    public nint CreateSessionFromArray(nint env, ReadOnlySpan<byte> model, nint options)
    {
        nint session;
        fixed (byte* data = model)
        {
            Check(((delegate* unmanaged<nint, byte*, nuint, nint, nint*, nint>)_table[OrtSlot.CreateSessionFromArray])(
                env, data, (nuint)model.Length, options, &session));
        }

        return session;
    }

    public int SessionGetCount(bool inputs, nint session)
    {
        nuint count;
        var slot = inputs ? OrtSlot.SessionGetInputCount : OrtSlot.SessionGetOutputCount;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_table[slot])(session, &count));
        return checked((int)count);
    }

    public string SessionGetName(bool input, nint session, int index)
    {
        nint name;
        var slot = input ? OrtSlot.SessionGetInputName : OrtSlot.SessionGetOutputName;
        Check(((delegate* unmanaged<nint, nuint, nint, nint*, nint>)_table[slot])(session, (nuint)index, DefaultAllocator, &name));
        return TakeAllocatedString(name) ?? string.Empty;
    }

    /// <summary>Returns an OrtTypeInfo the caller must release.</summary>
    public nint SessionGetTypeInfo(bool input, nint session, int index)
    {
        nint typeInfo;
        var slot = input ? OrtSlot.SessionGetInputTypeInfo : OrtSlot.SessionGetOutputTypeInfo;
        Check(((delegate* unmanaged<nint, nuint, nint*, nint>)_table[slot])(session, (nuint)index, &typeInfo));
        return typeInfo;
    }

    public nint CreateRunOptions()
    {
        nint runOptions;
        Check(((delegate* unmanaged<nint*, nint>)_table[OrtSlot.CreateRunOptions])(&runOptions));
        return runOptions;
    }

    public void RunOptionsSetTerminate(nint runOptions) =>
        Check(((delegate* unmanaged<nint, nint>)_table[OrtSlot.RunOptionsSetTerminate])(runOptions));

    /// <summary>
    /// Returns ORT's status instead of throwing, so the caller can release its input values first and then decide
    /// whether the failure was a cancellation.
    /// </summary>
    public nint Run(nint session, nint runOptions, nint* inputNames, nint* inputs, int inputCount,
        nint* outputNames, int outputCount, nint* outputs) =>
        ((delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)_table[OrtSlot.Run])(
            session, runOptions, inputNames, inputs, (nuint)inputCount, outputNames, (nuint)outputCount, outputs);
}
