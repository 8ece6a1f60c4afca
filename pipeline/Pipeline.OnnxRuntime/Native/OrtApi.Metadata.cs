namespace Pipeline.OnnxRuntime.Native;

internal sealed unsafe partial class OrtApi
{
    /// <summary>Returns an OrtModelMetadata the caller must release.</summary>
    public nint SessionGetModelMetadata(nint session) => GetPointer(OrtSlot.SessionGetModelMetadata, session);

    public string ModelMetadataString(int slot, nint metadata) => GetAllocatedString(slot, metadata);

    public long ModelMetadataGetVersion(nint metadata)
    {
        long version;
        Check(((delegate* unmanaged<nint, long*, nint>)_table[OrtSlot.ModelMetadataGetVersion])(metadata, &version));
        return version;
    }

    public string[] ModelMetadataGetCustomMetadataMapKeys(nint metadata)
    {
        nint* keys;
        long count;
        Check(((delegate* unmanaged<nint, nint, nint**, long*, nint>)_table[OrtSlot.ModelMetadataGetCustomMetadataMapKeys])(
            metadata, DefaultAllocator, &keys, &count));
        if (keys == null)
        {
            return [];
        }

        // Both the strings and the array holding them were allocated for us; free every one even if a copy fails.
        var result = new string[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                result[i] = TakeAllocatedString(keys[i]) ?? string.Empty;
                keys[i] = 0;
            }
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                if (keys[i] != 0)
                {
                    Free(keys[i]);
                }
            }

            Free((nint)keys);
        }

        return result;
    }

    public string? ModelMetadataLookupCustomMetadataMap(nint metadata, string key)
    {
        var keyBytes = NativeUtf8.NullTerminated(key);
        nint value;
        fixed (byte* k = keyBytes)
        {
            Check(((delegate* unmanaged<nint, nint, byte*, nint*, nint>)_table[OrtSlot.ModelMetadataLookupCustomMetadataMap])(
                metadata, DefaultAllocator, k, &value));
        }

        return TakeAllocatedString(value);
    }
}
