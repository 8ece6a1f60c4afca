using Pipeline.Onnx.Protos;

namespace Pipeline.Onnx;

/// <summary>Reads and edits model-level fields: metadata_props entries and operator set imports.</summary>
public static class OnnxModelEditing
{
    public static string? FindMetadata(this ModelProto model, string key) =>
        model.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value;

    /// <summary>Sets the entry's value, adding the entry if the key is new.</summary>
    public static void SetMetadata(this ModelProto model, string key, string value)
    {
        OnnxNames.RequireName(key, "A metadata entry");
        var entry = model.MetadataProps.FirstOrDefault(p => p.Key == key);
        if (entry is null) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        else entry.Value = value;
    }

    /// <summary>The imported version of an operator domain ("" or "ai.onnx" for the default set), or null if not imported.</summary>
    public static long? FindOpsetVersion(this ModelProto model, string domain)
    {
        return model.OpsetImport.FirstOrDefault(o => OnnxDomains.AreSame(o.Domain, domain))?.Version;
    }

    /// <summary>Imports an operator domain, or changes the version of an existing import.</summary>
    public static void SetOpsetImport(this ModelProto model, string domain, long version)
    {
        var opset = model.OpsetImport.FirstOrDefault(o => OnnxDomains.AreSame(o.Domain, domain));
        if (opset is null) model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        else opset.Version = version;
    }
}
